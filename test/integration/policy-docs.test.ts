import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvaluateInput } from '../../src/cli/commands/evaluate.js';
import type { Database } from '../../src/server/db/client.js';
import { evaluateFacts } from '../../src/server/modules/policy/evaluate.js';
import { ensureDefaultParameters } from '../../src/server/modules/policy/service.js';
import { cliActor } from '../../src/cli/util.js';
import { freshDatabase } from '../support/db.js';

/** docs/policy-engine.md: every worked example is answered as documented by the code behind `jiuzhu evaluate`. */
const doc = readFileSync(new URL('../../docs/policy-engine.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```json (evaluate-input|evaluate-expected)\n([\s\S]*?)```/g)].map((m) => ({
  kind: m[1]!,
  text: m[2]!,
}));
const examples: Array<{ input: string; expected: Record<string, unknown> }> = [];
for (let i = 0; i < blocks.length; i++) {
  if (blocks[i]!.kind === 'evaluate-input' && blocks[i + 1]?.kind === 'evaluate-expected')
    examples.push({ input: blocks[i]!.text, expected: JSON.parse(blocks[i + 1]!.text) });
}

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  await ensureDefaultParameters(database.db, '6208');
}, 300_000);
afterAll(async () => {
  await database?.close();
});

describe('docs/policy-engine.md worked examples — issue 6 "Done when"', () => {
  it('has the six worked examples', () => expect(examples.length).toBe(6));
  it.each(examples.map((e, i) => [i + 1, e] as const))('example %i', async (_n, ex) => {
    const out = await evaluateFacts({ db: database.db, actor: cliActor(), locale: 'zh' }, parseEvaluateInput(ex.input));
    const want = ex.expected as { totals?: unknown; decisions: Array<Record<string, unknown>> };
    if (want.totals) expect(out.totals).toEqual(want.totals);
    for (const d of want.decisions) {
      const got = out.decisions.find((x) => x.personRef === d.personRef && x.programme === d.programme);
      expect(got, `${d.personRef}/${d.programme}`).toBeDefined();
      const { missingFacts, ...rest } = d;
      expect(got).toMatchObject(rest);
      if (missingFacts)
        expect(got!.missingFacts).toEqual(
          expect.arrayContaining((missingFacts as object[]).map((m) => expect.objectContaining(m))),
        );
    }
  });
});
