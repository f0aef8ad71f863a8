import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TargetError } from '../../../src/connector/ports.ts';
import { preflightServer } from '../../../src/connector/preflight/checks.ts';
import { shellCheck } from '../../../src/connector/preflight/shell-check.ts';
import { CMD_437, fakeTarget } from './fake-target.ts';

const clock = { now: () => 0, sleep: async () => {} };

describe('preflight shell check', () => {
  it('ok names the shell, the code page and where the transport learned them', async () => {
    const line = await shellCheck(fakeTarget({ shellInfo: { ...CMD_437, source: 'chcp' } }).t);
    assert.deepEqual(line, { check: 'shell', level: 'ok', detail: 'cmd.exe, code page 437 (chcp)' });
  });

  it('a code page the transport does not decode is a warning with its fix', async () => {
    const fix = 'use --transport winrm';
    const line = await shellCheck(
      fakeTarget({ shellInfo: { ...CMD_437, codePage: 932, decoded: false, fix } }).t,
    );
    assert.equal(line.level, 'warning');
    assert.match(line.detail, /^cmd\.exe, code page 932: non-ASCII .* may read wrongly/);
    assert.equal(line.fix, fix);
  });

  it('an unknown code page is a warning, never ok', async () => {
    const line = await shellCheck(fakeTarget({ shellInfo: { ...CMD_437, codePage: null } }).t);
    assert.equal(line.level, 'warning');
    assert.match(line.detail, /code page unknown/);
    assert.match(line.fix ?? '', /numbers only/);
  });

  it("a shell the connector cannot drive fails with the transport's fix", async () => {
    const fix = 'set HKLM\\SOFTWARE\\OpenSSH\\DefaultShell to cmd.exe';
    const shellInfo = { shell: 'bash', drivable: false, codePage: null, decoded: false, fix };
    const lines = await preflightServer(fakeTarget({ shellInfo }).t, 'C:\\c.exe', clock);
    const line = lines.find((l) => l.check === 'shell');
    assert.equal(line?.level, 'failed');
    assert.match(line?.detail ?? '', /^bash: .*cmd\.exe or PowerShell only/);
    assert.equal(line?.fix, fix);
  });

  it('a probe that throws fails the check naming the error', async () => {
    const err = new TargetError('unreachable', 'srv01: connection lost');
    const line = await shellCheck(fakeTarget({ shellInfo: err }).t);
    assert.equal(line.level, 'failed');
    assert.equal(line.detail, 'srv01: connection lost');
  });

  it('a transport without shellInfo is reported as skipped, never as ok', async () => {
    const f = fakeTarget({ shellInfo: 'missing' });
    assert.equal(f.t.shellInfo, undefined);
    const line = (await preflightServer(f.t, 'C:\\c.exe', clock)).find((l) => l.check === 'shell');
    assert.equal(line?.level, 'warning');
    assert.match(line?.detail ?? '', /^skipped: /);
  });
});
