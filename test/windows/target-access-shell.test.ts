// The native transport's shellInfo: no shell on the target, and a code page it cannot name, so
// preflight's shell line is an honest warning, not ok (docs/usage.md "Preflight").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shellCheck } from '../../src/connector/preflight/shell-check.ts';
import { createWindowsTargetAccess } from '../../src/windows/target-access.ts';
import { fakeExec } from './fake-exec.ts';

test('windows transport: the shell line says schtasks runs here and warns that the code page is unknown', async () => {
  const f = fakeExec(() => undefined);
  const t = createWindowsTargetAccess({ server: 'srv01', exec: f.exec, platform: 'win32' });
  const info = await t.shellInfo?.();
  assert.equal(info?.drivable, true);
  assert.equal(info?.codePage, null);
  const line = await shellCheck(t);
  assert.equal(line.level, 'warning');
  assert.match(line.detail, /^none \(schtasks\.exe \/S runs on this controller\), code page unknown/);
  assert.match(line.fix ?? '', /numbers only/);
  assert.equal(f.calls.length, 0);
});
