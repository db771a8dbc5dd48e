/** Role names as the migration defines them (the server sends the Chinese name in /auth/me; English here). */
export const ROLE_NAMES: Record<string, { zh: string; en: string }> = {
  caseworker: { zh: '乡镇经办', en: 'Township caseworker' },
  township_reviewer: { zh: '乡镇审核', en: 'Township reviewer' },
  county_approver: { zh: '县级审批', en: 'County approver' },
  supervisor: { zh: '监督', en: 'Supervisor' },
  auditor: { zh: '审计', en: 'Auditor' },
  dept_housing: { zh: '住建部门', en: 'Housing dept. liaison' },
  dept_finance: { zh: '财政部门', en: 'Finance dept. liaison' },
  dept_disability: { zh: '残联', en: 'Disabled persons federation liaison' },
  dept_medical: { zh: '医保部门', en: 'Medical insurance liaison' },
  admin: { zh: '系统管理员', en: 'Administrator' },
};

export const roleName = (code: string, lang: 'zh' | 'en', fallback?: string) =>
  ROLE_NAMES[code]?.[lang] ?? fallback ?? code;
