#!/usr/bin/env node
// `npm run test:powershell`: the Pester suite of the WUA bridge (test/powershell/) under real pwsh.
// Where pwsh or Pester is missing it says so in one line and skips, except in CI (CI=true), where
// scripts/install-powershell.sh has installed both, so a missing one is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const PESTER_VERSION = '5.7.1';
const root = join(import.meta.dirname, '..');

/** Why: the same lookup as test/windows/wua/pwsh.ts: ~/.dotnet/tools first, then PATH. */
function findPwsh() {
  const tool = join(homedir(), '.dotnet', 'tools', 'pwsh');
  if (existsSync(tool)) return tool;
  const r = spawnSync('pwsh', ['-NoProfile', '-Command', 'exit 0'], { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0 ? 'pwsh' : null;
}

function skip(why) {
  const line = `test:powershell: ${why}; run scripts/install-powershell.sh`;
  if (process.env.CI === 'true') {
    console.error(`${line} (CI must not skip)`);
    process.exit(1);
  }
  console.log(`${line}; Pester suite skipped`);
  process.exit(0);
}

const pwsh = findPwsh();
if (!pwsh) skip('pwsh is not installed');
const cache = process.env.WSUS_PESTER_CACHE ?? join(homedir(), '.cache', 'wsus-connector', 'nuget');
const pester = join(cache, 'pester', PESTER_VERSION, 'tools', 'Pester.psd1');
if (!existsSync(pester)) skip(`Pester ${PESTER_VERSION} is not in ${cache}`);

const r = spawnSync(
  pwsh,
  ['-NoProfile', '-NonInteractive', '-File', join(root, 'test', 'powershell', 'run.ps1')],
  {
    stdio: 'inherit',
    env: { ...process.env, WSUS_PESTER_MODULE: pester, WSUS_PWSH: pwsh },
    timeout: 15 * 60_000,
  },
);
if (r.error) {
  console.error(`test:powershell: pwsh did not run: ${r.error.message}`);
  process.exit(1);
}
process.exit(r.status ?? 1);
