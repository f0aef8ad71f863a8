#!/usr/bin/env node
// Entry point of the `wsus-connector` bin: the prebuilt bundle (npm `prepare` builds it with
// scripts/build-bundle.mjs) for a fast start; without it, or with WSUS_FROM_SOURCE=1 (the tests,
// so they always run the current sources), the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/wsus-connector.mjs', import.meta.url);
if (process.env.WSUS_FROM_SOURCE !== '1' && existsSync(bundle)) {
  await import(bundle.href);
} else {
  if (process.env.WSUS_FROM_SOURCE !== '1') {
    process.stderr.write(
      'wsus-connector: no prebuilt bundle (dist/bundle; run `npm run build`): running the sources through tsx, slower to start\n',
    );
  }
  const tsx = await import('tsx/esm/api').catch(() => null);
  if (!tsx) {
    process.stderr.write('wsus-connector: neither dist/bundle nor tsx is installed; run `npm run build`\n');
    process.exit(70);
  }
  tsx.register();
  await import('../src/cli/wsus-connector.ts');
}
