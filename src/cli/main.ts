import { Command } from 'commander';
import { registerAdmin } from './commands/admin.js';
import { registerDibao } from './commands/dibao.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerRoster } from './commands/roster.js';
import { registerSeed } from './commands/seed.js';
import { registerServe } from './commands/serve.js';
import { registerEvaluate } from './commands/evaluate.js';
import { reportError } from './util.js';

/** Each capability adds its commands with a register function here. */
export async function main(argv: string[]) {
  const program = new Command();
  program.name('jiuzhu').description('救助 Jiuzhu — 社会救助管理系统 (social-assistance management)').version('0.1.0');
  registerServe(program);
  registerAdmin(program);
  registerImport(program);
  registerSeed(program);
  registerExport(program);
  registerRoster(program);
  registerDibao(program);
  registerEvaluate(program);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    reportError(e);
  }
}
