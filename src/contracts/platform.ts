import { z } from 'zod';
import { RegionCode } from './common.js';

export const RoleCode = z.enum([
  'caseworker',
  'township_reviewer',
  'county_approver',
  'supervisor',
  'auditor',
  'dept_housing',
  'dept_finance',
  'dept_disability',
  'dept_medical',
  'admin',
]);
export type RoleCode = z.infer<typeof RoleCode>;

export const LoginRequest = z.strictObject({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(256),
});

export const RegionRef = z.object({ code: z.string(), name: z.string(), level: z.number().int(), path: z.string() });

export const Me = z.object({
  user: z.object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    roleName: z.string(),
    region: RegionRef,
  }),
  permissions: z.array(z.string()),
  csrfToken: z.string(),
  mustChangePassword: z.boolean(),
  demo: z.boolean(),
  sessionIdleMinutes: z.number().int(),
});
export type Me = z.infer<typeof Me>;

export const ChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1, '请输入当前密码').max(256),
  newPassword: z.string().min(1, '请输入新密码').max(256),
});

export const UserView = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  roleName: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  status: z.enum(['active', 'disabled']),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  isDemo: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof UserView>;

export const CreateUserRequest = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为 3–32 位字母、数字、下划线、点或减号'),
  displayName: z.string().trim().min(1, '请输入姓名').max(50),
  role: RoleCode,
  regionCode: RegionCode,
  initialPassword: z.string().min(1).max(256),
});

export const UpdateUserRequest = z.strictObject({
  displayName: z.string().trim().min(1).max(50).optional(),
  role: RoleCode.optional(),
  regionCode: RegionCode.optional(),
  version: z.number().int().positive(),
});

export const ResetPasswordRequest = z.strictObject({
  newPassword: z.string().min(1).max(256),
  version: z.number().int().positive(),
});

export const UserListQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  role: RoleCode.optional(),
  status: z.enum(['active', 'disabled']).optional(),
  q: z.string().max(50).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const RoleView = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  description: z.string(),
  readOnly: z.boolean(),
  permissions: z.array(z.string()),
});

export const RegionNode = z.object({
  code: z.string(),
  name: z.string(),
  level: z.number().int(),
  parentCode: z.string().nullable(),
  hasChildren: z.boolean(),
  retired: z.boolean(),
});
export type RegionNode = z.infer<typeof RegionNode>;

export const RegionChildrenQuery = z.strictObject({
  parent: RegionCode.optional(),
  includeRetired: z.enum(['true', 'false']).optional(),
});

export const AuditQuery = z.strictObject({
  action: z.string().max(100).optional(),
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  actor: z.string().max(64).optional(),
  regionCode: RegionCode.optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const AuditRow = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.number().int().nullable(),
  actorUsername: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  regionCode: z.string().nullable(),
  requestId: z.string().nullable(),
  diff: z.unknown(),
});

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  firstBreak: z
    .object({ seq: z.number().int(), problem: z.enum(['altered', 'broken_link']), message: z.string() })
    .optional(),
});
