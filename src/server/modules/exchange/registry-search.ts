/**
 * Registry queries of an API client: the synchronous search (DCI social-registry `search`: `idtype-value` lookups and
 * `predicate` queries) and the lookup of one person by ID number. Both are limited to the client's areas and purposes,
 * masked per its platform, and logged.
 */
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { maskIdNumber } from '../../../domain/identity/id-number.js';
import { iso } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { type ClientContext, logClientCall } from './client-auth.js';
import { maskPerson, personRecord } from './masking.js';
import * as registry from './registry-repo.js';
import type { ApiClientRecord } from './repo.js';

type Expression = {
  attribute_name: string;
  operator: 'eq' | 'lt' | 'le' | 'gt' | 'ge';
  attribute_value: string | number;
};
const OPS: Record<Expression['operator'], SQL> = { eq: sql`=`, lt: sql`<`, le: sql`<=`, gt: sql`>`, ge: sql`>=` };

function badCriteria(ref: string, message: string): never {
  throw new AppError('VALIDATION_FAILED', {
    fields: [{ field: `search_request[${ref}].search_criteria.query`, code: 'invalid', message }],
  });
}

/** A predicate query in SQL. A region outside the client's areas answers 404 (like an unknown id). */
function predicateSql(
  client: ApiClientRecord,
  exprs: Expression[],
  recordType: 'person' | 'household',
  ref: string,
): SQL {
  const t = recordType === 'person' ? sql`p` : sql`h`;
  const hh = recordType === 'person' ? sql`p.household_id` : sql`h.id`;
  const parts: SQL[] = [];
  for (const e of exprs) {
    const v = String(e.attribute_value);
    switch (e.attribute_name) {
      case 'region_code':
        if (e.operator !== 'eq' || !/^\d{2,12}$/.test(v)) badCriteria(ref, 'region_code 只支持 eq 与 2–12 位数字');
        if (!client.region_codes.some((r) => v.startsWith(r) || r.startsWith(v)))
          throw new AppError('NOT_FOUND', { detail: '该行政区划不在接口客户端的授权范围内' });
        parts.push(sql`${t}.region_code LIKE ${`${v}%`}`);
        break;
      case 'programme':
      case 'programme_status':
        if (e.operator !== 'eq') badCriteria(ref, `${e.attribute_name} 只支持 eq`);
        parts.push(
          e.attribute_name === 'programme'
            ? sql`EXISTS (SELECT 1 FROM programme_enrollments e WHERE e.household_id = ${hh} AND e.programme = ${v} AND e.status = 'active')`
            : sql`EXISTS (SELECT 1 FROM programme_enrollments e WHERE e.household_id = ${hh} AND e.status = ${v})`,
        );
        break;
      case 'sex':
      case 'name':
      case 'birth_date':
        if (recordType !== 'person') badCriteria(ref, `${e.attribute_name} 只适用于 person`);
        if (e.attribute_name === 'birth_date' && !/^\d{4}-\d{2}-\d{2}$/.test(v))
          badCriteria(ref, 'birth_date 格式应为 YYYY-MM-DD');
        if (e.attribute_name !== 'birth_date' && e.operator !== 'eq') badCriteria(ref, `${e.attribute_name} 只支持 eq`);
        parts.push(
          e.attribute_name === 'birth_date'
            ? sql`p.birth_date ${OPS[e.operator]} ${v}::date`
            : sql`${sql.raw(`p.${e.attribute_name}`)} = ${v}`,
        );
        break;
      case 'household_no':
        if (e.operator !== 'eq') badCriteria(ref, 'household_no 只支持 eq');
        parts.push(sql`h.household_no = ${v}`);
        break;
    }
  }
  return sql.join(parts, sql` AND `);
}

type SearchBody = {
  header?: { purpose?: string; message_id?: string };
  message: {
    transaction_id: string;
    search_request: {
      reference_id: string;
      timestamp?: string;
      locale?: string;
      search_criteria: {
        reg_type: string;
        reg_record_type: 'person' | 'household';
        query_type: 'idtype-value' | 'predicate';
        query: { type: string; value: string } | Expression[];
        pagination?: { page_size: number; page_number: number };
      };
    }[];
  };
};

function assertPurpose(client: ApiClientRecord, purpose: string | undefined): string {
  const p = purpose ?? client.purposes[0]!;
  if (!client.purposes.includes(p))
    throw new AppError('PURPOSE_NOT_ALLOWED', { detail: `接口客户端未获授权用于「${p}」` });
  return p;
}

/**
 * Synchronous registry search modelled on the DCI social-registry `search`: each search_request item is an
 * `idtype-value` lookup or a `predicate` query, answered with a paginated `search_response` item. Every call is
 * logged (exchange_call_log: client, transaction, purpose, the person ids returned).
 */
export async function search(cc: ClientContext, body: SearchBody) {
  const purpose = assertPurpose(cc.client, body.header?.purpose);
  const regions = cc.client.region_codes;
  const now = new Date().toISOString();
  const personIds: number[] = [];
  const responses = [];
  for (const item of body.message.search_request) {
    const crit = item.search_criteria;
    const size = crit.pagination?.page_size ?? 20;
    const pageNo = crit.pagination?.page_number ?? 1;
    let where: SQL;
    if (crit.query_type === 'idtype-value') {
      if (Array.isArray(crit.query)) badCriteria(item.reference_id, 'idtype-value 查询应为 {type, value}');
      const q = crit.query;
      const v = q.value.trim().toUpperCase();
      where =
        q.type === 'ID_NUMBER' || q.type === 'UIN'
          ? crit.reg_record_type === 'person'
            ? sql`p.id_number = ${v}`
            : sql`h.id = (SELECT household_id FROM persons WHERE id_number = ${v})`
          : q.type === 'HOUSEHOLD_NO'
            ? sql`h.household_no = ${q.value}`
            : /^\d{1,15}$/.test(v)
              ? crit.reg_record_type === 'person'
                ? sql`p.household_id = ${Number(v)}`
                : sql`h.id = ${Number(v)}`
              : badCriteria(item.reference_id, 'HOUSEHOLD_ID 应为数字');
    } else {
      if (!Array.isArray(crit.query)) badCriteria(item.reference_id, 'predicate 查询应为表达式数组');
      where = predicateSql(cc.client, crit.query, crit.reg_record_type, item.reference_id);
    }
    const offset = (pageNo - 1) * size;
    let records: unknown[];
    let total: number;
    if (crit.reg_record_type === 'person') {
      const hits = await registry.searchPersons(cc.db, regions, where, size, offset);
      total = hits[0] ? Number(hits[0].total) : 0;
      records = hits.map((p) => {
        personIds.push(Number(p.person_id));
        return personRecord(cc.rule, p, true);
      });
    } else {
      const hits = await registry.searchHouseholds(cc.db, regions, where, size, offset);
      total = hits[0] ? Number(hits[0].total) : 0;
      records = hits.map(({ total: _t, ...h }) => ({
        ...h,
        household_id: Number(h.household_id),
        address: cc.rule.address === 'full' ? h.address : null,
        members: h.members.map((m) => {
          personIds.push(Number(m.person_id));
          return maskPerson(cc.rule, m);
        }),
        updated_at: iso(h.updated_at)!,
      }));
    }
    const found = records.length > 0 || crit.query_type === 'predicate';
    responses.push({
      reference_id: item.reference_id,
      timestamp: now,
      status: found ? ('succ' as const) : ('rjct' as const),
      ...(found
        ? {}
        : {
            status_reason_code: 'rjct.reference_id.not_found',
            status_reason_message: '未找到记录（或不在授权范围内）',
          }),
      data: {
        version: '1.0.0',
        reg_type: crit.reg_type,
        reg_record_type: crit.reg_record_type,
        reg_records: records as never[],
      },
      pagination: { page_size: size, page_number: pageNo, total_count: total },
      locale: item.locale ?? 'zh',
    });
  }
  await logClientCall(cc, {
    operation: 'search',
    transactionId: body.message.transaction_id,
    purpose,
    request: body.message.search_request.map((s) => ({
      reference_id: s.reference_id,
      query_type: s.search_criteria.query_type,
      reg_record_type: s.search_criteria.reg_record_type,
    })),
    status: 200,
    resultCount: personIds.length,
    personIds,
  });
  const completed = responses.filter((r) => r.status === 'succ').length;
  return {
    header: {
      version: '1.0.0',
      message_id: randomUUID(),
      message_ts: now,
      action: 'on-search' as const,
      status: completed > 0 ? ('succ' as const) : ('rjct' as const),
      total_count: responses.length,
      completed_count: completed,
    },
    message: { transaction_id: body.message.transaction_id, correlation_id: randomUUID(), search_response: responses },
  };
}

/** One person by ID number; outside the client's areas (or unknown) → 404. */
export async function personByIdNumber(cc: ClientContext, idNumber: string, purposeHeader: string | undefined) {
  const purpose = assertPurpose(cc.client, purposeHeader);
  const hits = await registry.searchPersons(
    cc.db,
    cc.client.region_codes,
    sql`p.id_number = ${idNumber.trim().toUpperCase()}`,
    1,
    0,
  );
  await logClientCall(cc, {
    operation: 'person',
    transactionId: null,
    purpose,
    request: { idNumber: maskIdNumber(idNumber) },
    status: hits[0] ? 200 : 404,
    resultCount: hits.length,
    personIds: hits.map((h) => Number(h.person_id)),
  });
  const p = hits[0];
  if (!p) throw new AppError('NOT_FOUND');
  return personRecord(cc.rule, p, false);
}
