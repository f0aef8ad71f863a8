// The result-code table end to end: the real connector over real SSH against lab hosts.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readHostSummary } from '../../src/lab/host-state.ts';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

describe('result codes through the lab', () => {
  let e: E2eLab;
  const lcu = upd('lcu', { reboot: 'can', kb: 'KB5044281' });
  const def = upd('def', { kb: 'KB2267602', classification: 'Definition Updates', severity: null });
  const bad = upd('bad', {
    kb: 'KB5044099',
    failures: [1, 2, 3].map((attempt) => ({ phase: 'install', attempt, hresult: '0x800F0922' })),
  });
  const loop = upd('loop', { kb: 'KB2267603', reinstalls: true, classification: 'Definition Updates' });
  const slow = upd('slow', { kb: 'KB5044111', installSeconds: 4000 });
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        { name: 'current', catalog: ['def'], installed: ['KB2267602'] },
        { name: 'noreboot', catalog: ['def'] },
        { name: 'reboot', catalog: ['lcu', 'def'] },
        { name: 'check', catalog: ['lcu', 'def'] },
        { name: 'pending', catalog: [], pendingReboot: true },
        { name: 'pendingcheck', catalog: [], pendingReboot: true },
        { name: 'failing', catalog: ['bad'] },
        { name: 'stuck', catalog: ['lcu'], bootStuck: true },
        { name: 'looping', catalog: ['loop'] },
        { name: 'busy', catalog: ['slow'] },
        { name: 'unmatched', catalog: ['def'] },
      ],
      catalog: [lcu, def, bad, loop, slow],
    });
  });
  after(async () => {
    await e.close();
  });

  it('0: already current', async () => {
    const r = await e.run('current', ['--restart']);
    assert.equal(r.report.resultCode, 0, r.out);
    assert.match(r.out, /Result code: 0\n$/);
  });

  it('100: updates installed, no reboot needed', async () => {
    const r = await e.run('noreboot', ['--restart']);
    assert.equal(r.report.resultCode, 100, r.out);
    assert.equal(r.code, 100);
  });

  it('110: installed across a reboot; the host has every KB afterwards', async () => {
    const r = await e.run('reboot', ['--restart']);
    assert.equal(r.report.resultCode, 110, r.out);
    const host = e.lab.hosts.find((h) => h.name === 'reboot');
    const s = await readHostSummary(join(host?.diskDir ?? '', '..'));
    assert.deepEqual(s.installedKbs, ['KB2267602', 'KB5044281']);
    assert.equal(s.rebootPending, false);
  });

  it('105: a reboot needed but not allowed is a warning', async () => {
    const r = await e.run('check', ['--mode', 'install']);
    assert.equal(r.report.resultCode, 105, r.out);
  });

  it('1100: check-only finds updates and changes nothing', async () => {
    const host = e.lab.hosts.find((h) => h.name === 'unmatched');
    const hostDir = join(host?.diskDir ?? '', '..');
    const before = await readHostSummary(hostDir);
    const r = await e.run('unmatched', ['--check-only']);
    assert.equal(r.report.resultCode, 1100, r.out);
    assert.deepEqual(await readHostSummary(hostDir), before);
  });

  it('10 / 1005 / 1010: a pending reboot at start, rebooted only with --restart', async () => {
    const install = await e.run('pending', ['--restart']);
    assert.equal(install.report.resultCode, 10, install.out);
    const notAllowed = await e.run('pendingcheck', ['--check-only']);
    assert.equal(notAllowed.report.resultCode, 1005, notAllowed.out);
    const check = await e.run('pendingcheck', ['--check-only', '--restart']);
    assert.equal(check.report.resultCode, 1010, check.out);
  });

  it('-1: an update fails, with its HRESULT name in the job output', async () => {
    const r = await e.run('failing', ['--restart']);
    assert.equal(r.report.resultCode, -1, r.out);
    assert.match(r.out, /0x800F0922 CBS_E_INSTALLERS_FAILED/);
  });

  it('a host that never comes back from its reboot is a reboot timeout', async () => {
    const r = await e.run('stuck', ['--restart', '--reboot-timeout', '3s']);
    assert.equal(r.report.error?.kind, 'reboot-timeout', r.out);
    assert.notEqual(r.code, 0);
  });

  it('an update that keeps coming back is caught as a loop', async () => {
    const r = await e.run('looping', ['--restart']);
    assert.equal(r.report.error?.kind, 'loop-detected', r.out);
  });

  it('a bad include list is refused before any SSH connection (usage error)', async () => {
    const list = join(e.dir, 'include.txt');
    writeFileSync(list, 'KB5044281\nnot-a-kb\n');
    const r = await e.run('current', ['--include-list', list]);
    assert.match(r.err, /include\.txt:2/);
    assert.equal(r.code, -2);
  });

  it('a second run against a busy host is refused, naming the run that holds it', async () => {
    const first = e.run('busy', ['--restart']);
    const disk = e.lab.hosts.find((h) => h.name === 'busy')?.diskDir ?? '';
    const lock = join(disk, 'ProgramData', 'wsus-connector', 'lock.json');
    const deadline = Date.now() + 20_000;
    while (!existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(existsSync(lock), 'the first run holds the lock');
    const second = await e.run('busy', ['--restart']);
    assert.equal(second.report.error?.kind, 'lock-held', second.out);
    assert.match(second.report.error?.message ?? '', /\d{8}T\d{6}Z/);
    const r1 = await first;
    assert.equal(r1.report.resultCode, 100, r1.out);
  });
});
