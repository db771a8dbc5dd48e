#!/usr/bin/env node
// The `jiuzhu` command. TypeScript sources run through tsx's loader, so there is no separate server build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
