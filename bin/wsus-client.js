#!/usr/bin/env node
// Entry point of the `wsus-client` bin: load TypeScript through tsx, then run the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/wsus-client.ts');
