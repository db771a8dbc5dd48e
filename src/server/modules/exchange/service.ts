/**
 * Registering an API client. The other use cases of the module: client administration in clients.ts, tokens and
 * client authentication in client-auth.ts, the registry search in registry-search.ts, the change feed in
 * change-feed.ts, the big-data platform export in export.ts. (createApiClient stays here: bench/exchange.ts imports it
 * from this path.)
 */
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../platform/auth.js';
import type { UseCaseContext } from '../../platform/context.js';
import { inTransaction } from '../../platform/tx.js';
import { assertClientSettings, auditClient, newSecret, reloadClient } from './clients.js';
import * as repo from './repo.js';

/** Registers an API client; the secret is shown once and kept only as an argon2id hash. */
export async function createApiClient(
  ctx: UseCaseContext,
  input: { name: string; regionCodes: string[]; purposes: string[]; platform: string; ratePerMinute: number },
) {
  await assertClientSettings(ctx, input);
  const clientId = `jz_${randomBytes(9).toString('base64url')}`;
  const secret = newSecret();
  const secretHash = await hashPassword(secret);
  return inTransaction(ctx.db, async (tx) => {
    const id = await repo.insertApiClient(tx, {
      ...input,
      clientId,
      secretHash,
      regionCode: ctx.actor.regionCode,
      by: ctx.actor.id,
    });
    await auditClient(tx, ctx, {
      action: 'api_client.create',
      id,
      regionCode: ctx.actor.regionCode,
      diff: {
        clientId,
        name: input.name,
        regionCodes: input.regionCodes,
        purposes: input.purposes,
        platform: input.platform,
        ratePerMinute: input.ratePerMinute,
      },
    });
    return { ...(await reloadClient(tx, ctx, id)), clientSecret: secret };
  });
}
