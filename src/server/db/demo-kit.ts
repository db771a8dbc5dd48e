/**
 * What the demo seeders share: a system actor scoped to the demo county with the permissions the seeder's use cases
 * need, and helpers that go through the real use cases — upload a material (a small PDF), read a case's version,
 * issue every draft notice of a case — plus valid GB 11643 numbers for the demo people.
 */
import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { checkCharOf } from '../../domain/identity/id-number.js';
import type { Config } from '../config.js';
import { uploadMaterial } from '../modules/archive/service.js';
import { issueNotice } from '../modules/notices/service.js';
import type { Actor, UseCaseContext } from '../platform/context.js';
import { type Db, first, rows } from './client.js';

const PDF = Buffer.from('%PDF-1.4\n% Jiuzhu demo material\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** ID numbers for demo people: sequence numbers from `base` up, so two seeders never draw the same number. */
export function demoIdNumbers(base: number) {
  let seq = 0;
  return (county: string, birth: string) => {
    seq++;
    const first17 = `${county}${birth.replaceAll('-', '')}${String(base + seq).slice(-3)}`;
    return first17 + checkCharOf(first17);
  };
}

export function demoSeedKit(db: Db, config: Config, countyCode: string, permissions: string[]) {
  const actor: Actor = {
    id: null,
    username: 'demo-seed',
    role: 'admin',
    regionCode: countyCode,
    scope: { regionCode: countyCode },
    permissions: new Set(permissions),
  };
  const ctx: UseCaseContext = { db, actor, locale: 'zh' };
  mkdirSync(config.filesDir, { recursive: true });
  /** Uploads each kind of material to the case through the archive use case. */
  const upload = (caseId: number, kinds: string[]) =>
    Promise.all(
      kinds.map((k) =>
        uploadMaterial(ctx, config.filesDir, caseId, { kind: k, filename: `${k}.pdf`, buffer: PDF, truncated: false }),
      ),
    );
  /** The case's current version (every use case checks it). */
  const version = async (id: number) =>
    Number((await first<{ version: number }>(db, sql`SELECT version FROM cases WHERE id = ${id}`))!.version);
  /** Issues every draft notice of the case (numbered, the .docx written). */
  const issueAll = async (caseId: number) => {
    for (const n of await rows<{ id: number; version: number }>(
      db,
      sql`SELECT id, version FROM notices WHERE case_id = ${caseId} AND status = 'draft'`,
    ))
      await issueNotice(ctx, config.filesDir, Number(n.id), { version: Number(n.version) });
  };
  return { ctx, upload, version, issueAll };
}
