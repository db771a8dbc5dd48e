import { userInfo } from 'node:os';
import type { Actor } from '../server/platform/context.js';
import { loadConfig, type Config } from '../server/config.js';
import { openConfiguredDatabase, prepareDatabase } from '../server/bootstrap.js';
import type { Database } from '../server/db/client.js';
import { AppError, toProblem } from '../server/platform/errors.js';

/** The operator at the console: full scope of the deployment, recorded in the audit trail as `cli:<os user>`. */
export function cliActor(permissions: string[] = []): Actor {
  let who = 'operator';
  try {
    who = userInfo().username;
  } catch {
    // keep the default
  }
  return {
    id: null,
    username: `cli:${who}`,
    role: 'admin',
    regionCode: '',
    scope: { regionCode: '' },
    permissions: new Set(permissions),
  };
}

/** Opens and migrates the configured database for a command, and always closes it. */
export async function withDatabase<T>(fn: (db: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    await prepareDatabase(database, config);
    return await fn(database, config);
  } finally {
    await database.close();
  }
}

/** Reads a secret from standard input: the first line of piped input, or typed at a prompt without echo. */
export async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          return reject(new Error('cancelled'));
        }
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Prints an AppError the way the API would say it, Chinese first, and sets a failing exit code. */
export function reportError(e: unknown): never {
  if (e instanceof AppError) {
    const p = toProblem(e, 'zh');
    process.stderr.write(`错误 ${p.code}: ${p.detail}\n`);
    for (const f of p.errors ?? []) process.stderr.write(`  - ${f.field}: ${f.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
}
