import { z } from 'zod';
import { Cursor, RegionCode } from './common.js';

/**
 * Registry exchange (docs/exchange-api.md): API clients (OAuth 2.0 client credentials), a synchronous search modelled
 * on the DCI social-registry `search` operation, a change feed, and big-data exports.
 */

export const Purpose = z.enum(['verification', 'poverty_bigdata', 'gov_info', 'statistics', 'assistance_referral']);
export const PlatformCode = z.enum(['poverty_bigdata', 'gov_info', 'verification', 'statistics']);

const ClientName = z.string().trim().min(2).max(100);
const ClientRegionCodes = z.array(RegionCode).min(1).max(50);
const ClientPurposes = z.array(Purpose).min(1).max(5);
const ClientRate = z.number().int().min(1).max(1_000_000);

export const CreateApiClientRequest = z.strictObject({
  name: ClientName,
  regionCodes: ClientRegionCodes,
  purposes: ClientPurposes,
  platform: PlatformCode,
  ratePerMinute: ClientRate.default(600),
});

/**
 * Changes a registered client (any subset of the fields; the same rules as registration). `version` is the client's
 * current version (or `If-Match: "N"`), 409 VERSION_CONFLICT when stale.
 */
export const UpdateApiClientRequest = z.strictObject({
  name: ClientName.optional(),
  regionCodes: ClientRegionCodes.optional(),
  purposes: ClientPurposes.optional(),
  platform: PlatformCode.optional(),
  ratePerMinute: ClientRate.optional(),
  version: z.number().int().positive(),
});

export const ApiClientView = z.object({
  id: z.number().int(),
  clientId: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionCodes: z.array(z.string()),
  purposes: z.array(z.string()),
  platform: z.string(),
  ratePerMinute: z.number().int(),
  status: z.enum(['active', 'disabled']),
  version: z.number().int(),
  createdAt: z.string(),
});
export const CreatedApiClient = ApiClientView.extend({ clientSecret: z.string() });

export const ApiClientCallsQuery = z.strictObject({
  operation: z.enum(['token', 'search', 'person', 'changes']).optional(),
  failedOnly: z.enum(['true', 'false']).default('false'),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ApiClientCall = z.object({
  id: z.number().int(),
  at: z.string(),
  operation: z.string(),
  transactionId: z.string().nullable(),
  purpose: z.string().nullable(),
  /** the shape of the request (query types, reference ids, masked ID number) — never a full ID number */
  request: z.unknown(),
  status: z.number().int(),
  resultCount: z.number().int(),
  personCount: z.number().int(),
  ip: z.string().nullable(),
});
export const ApiClientCallPage = z.object({
  items: z.array(ApiClientCall),
  nextCursor: z.string().nullable(),
  stats: z.object({
    calls: z.number().int(),
    failed: z.number().int(),
    lastCallAt: z.string().nullable(),
    lastDay: z.number().int(),
  }),
});

export const TokenRequest = z.strictObject({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1).max(100),
  client_secret: z.string().min(1).max(200),
  scope: z.string().max(200).optional(),
});
export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
});

const Expression = z.strictObject({
  attribute_name: z.enum(['region_code', 'programme', 'programme_status', 'sex', 'birth_date', 'name', 'household_no']),
  operator: z.enum(['eq', 'lt', 'le', 'gt', 'ge']),
  attribute_value: z.union([z.string().max(100), z.number()]),
});

export const SearchCriteria = z.strictObject({
  version: z.string().max(20).optional(),
  reg_type: z.enum(['social_registry']).default('social_registry'),
  reg_record_type: z.enum(['person', 'household']).default('person'),
  query_type: z.enum(['idtype-value', 'predicate']),
  query: z.union([
    z.strictObject({
      type: z.enum(['ID_NUMBER', 'UIN', 'HOUSEHOLD_NO', 'HOUSEHOLD_ID']),
      value: z.string().min(1).max(40),
    }),
    z.array(Expression).min(1).max(10),
  ]),
  pagination: z
    .strictObject({
      page_size: z.number().int().min(1).max(100).default(20),
      page_number: z.number().int().min(1).max(500).default(1),
    })
    .optional(),
});

export const SearchRequestItem = z.strictObject({
  reference_id: z.string().min(1).max(64),
  timestamp: z.string().max(40).optional(),
  search_criteria: SearchCriteria,
  locale: z.string().max(10).optional(),
});

export const SearchRequest = z.strictObject({
  signature: z.string().max(2000).optional(),
  header: z
    .strictObject({
      version: z.string().max(20).optional(),
      message_id: z.string().max(64).optional(),
      message_ts: z.string().max(40).optional(),
      action: z.literal('search').optional(),
      sender_id: z.string().max(100).optional(),
      receiver_id: z.string().max(100).optional(),
      total_count: z.number().int().optional(),
      /** Jiuzhu extension: the purpose of the request; must be one the client is authorised for. */
      purpose: Purpose.optional(),
    })
    .optional(),
  message: z.strictObject({
    transaction_id: z.string().min(1).max(64),
    search_request: z.array(SearchRequestItem).min(1).max(20),
  }),
});

const ProgrammeStatus = z.object({
  programme: z.string(),
  status: z.string(),
  dibao_kind: z.string().nullable(),
  rural_class: z.number().int().nullable(),
  start_month: z.string(),
  end_month: z.string().nullable(),
  monthly_amount_fen: z.number().int().nullable(),
});

export const RegistryPersonRecord = z.object({
  person_id: z.number().int(),
  id_number: z.string(),
  name: z.string(),
  sex: z.string(),
  birth_date: z.string(),
  death_date: z.string().nullable(),
  region_code: z.string(),
  household_id: z.number().int().nullable(),
  household_no: z.string().nullable(),
  relation: z.string().nullable(),
  address: z.string().nullable(),
  programmes: z.array(ProgrammeStatus),
  updated_at: z.string(),
});

export const RegistryHouseholdRecord = z.object({
  household_id: z.number().int(),
  household_no: z.string().nullable(),
  region_code: z.string(),
  hukou_type: z.string(),
  status: z.string(),
  address: z.string().nullable(),
  members: z.array(
    z.object({ person_id: z.number().int(), id_number: z.string(), name: z.string(), relation: z.string().nullable() }),
  ),
  programmes: z.array(ProgrammeStatus),
  updated_at: z.string(),
});

export const SearchResponse = z.object({
  header: z.object({
    version: z.string(),
    message_id: z.string(),
    message_ts: z.string(),
    action: z.literal('on-search'),
    status: z.enum(['succ', 'rjct']),
    total_count: z.number().int(),
    completed_count: z.number().int(),
  }),
  message: z.object({
    transaction_id: z.string(),
    correlation_id: z.string(),
    search_response: z.array(
      z.object({
        reference_id: z.string(),
        timestamp: z.string(),
        status: z.enum(['succ', 'rjct']),
        status_reason_code: z.string().optional(),
        status_reason_message: z.string().optional(),
        data: z.object({
          version: z.string(),
          reg_type: z.string(),
          reg_record_type: z.string(),
          reg_records: z.array(z.union([RegistryPersonRecord, RegistryHouseholdRecord])),
        }),
        pagination: z.object({
          page_size: z.number().int(),
          page_number: z.number().int(),
          total_count: z.number().int(),
        }),
        locale: z.string(),
      }),
    ),
  }),
});

export const ChangesQuery = z.strictObject({
  since: z.iso.datetime({ offset: true }).optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const ChangeEvent = z.object({
  changed_at: z.string(),
  entity: z.enum(['household', 'person', 'enrollment']),
  op: z.enum(['upsert', 'delete']),
  id: z.number().int(),
  region_code: z.string(),
  record: z.record(z.string(), z.unknown()).nullable(),
});
export const ChangesResponse = z.object({ items: z.array(ChangeEvent), nextCursor: z.string().nullable() });

export const ExportQuery = z.strictObject({
  format: z.enum(['jsonl', 'xlsx']).default('jsonl'),
  platform: PlatformCode,
  regionCode: RegionCode.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
});

export const ExportPlatformView = z.object({
  code: z.string(),
  name: z.string(),
  idNumber: z.string(),
  nameRule: z.string(),
  phone: z.string(),
  address: z.string(),
  note: z.string().nullable(),
});
