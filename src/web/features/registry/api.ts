/** The registry API paths (src/server/modules/registry/routes.ts) and their types from src/contracts/registry.ts. */
import type { z } from 'zod';
import type {
  AssistanceMemberItem,
  DangerousHousingItem,
  DisabilityCertInput,
  DisabledPersonItem,
  HouseholdDetail,
  HouseholdListItem,
  HistoryEntry,
  IncomeItemView,
  MemberInput,
  PersonListItem,
  PersonSearchQuery,
  PersonView,
  PropertyItemView,
  RegistryStats,
} from '../../../contracts/registry';

export type { HouseholdDetail, HistoryEntry, MemberInput, PersonListItem, PersonView, RegistryStats };
export type HouseholdListItemT = z.infer<typeof HouseholdListItem>;
export type IncomeItem = z.infer<typeof IncomeItemView>;
export type PropertyItem = z.infer<typeof PropertyItemView>;
export type DisabilityCertInputT = z.infer<typeof DisabilityCertInput>;
export type PersonFilters = Omit<PersonSearchQuery, 'cursor' | 'limit'>;
export type DangerousHousing = z.infer<typeof DangerousHousingItem>;
export type DisabledPerson = z.infer<typeof DisabledPersonItem>;
export type AssistanceMember = z.infer<typeof AssistanceMemberItem>;

export const REG = {
  stats: '/v1/registry/stats',
  persons: '/v1/registry/persons',
  person: (id: number) => `/v1/registry/persons/${id}`,
  revealId: (id: number) => `/v1/registry/persons/${id}/reveal-id`,
  move: (id: number) => `/v1/registry/persons/${id}/move`,
  leave: (id: number) => `/v1/registry/persons/${id}/leave`,
  correctId: (id: number) => `/v1/registry/persons/${id}/correct-id`,
  incomeItem: (id: number) => `/v1/registry/income-items/${id}`,
  propertyItem: (id: number) => `/v1/registry/property-items/${id}`,
  households: '/v1/registry/households',
  household: (id: number | string) => `/v1/registry/households/${id}`,
  history: (id: number | string) => `/v1/registry/households/${id}/history`,
  revealAccount: (id: number) => `/v1/registry/households/${id}/reveal-account`,
  dissolve: (id: number) => `/v1/registry/households/${id}/dissolve`,
  dangerousHousing: '/v1/registry/dangerous-housing',
  disabledPersons: '/v1/registry/disabled-persons',
  assistanceMembers: '/v1/registry/assistance-members',
  export: '/v1/registry/export',
};
