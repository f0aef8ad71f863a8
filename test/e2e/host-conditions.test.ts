// Real-server conditions end to end: the real connector over real SSH against lab hosts with
// permanent pending file renames and a WUA installer busy after boot (docs/lab.md).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readHostSummary } from '../../src/lab/host-state.ts';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

describe('host conditions through the lab', () => {
  let e: E2eLab;
  const fix = upd('fix', { kb: 'KB5044300' });
  const fix2 = upd('fix2', { kb: 'KB5044301' });
  const lcu = upd('lcu', { kb: 'KB5044302', reboot: 'always' });
  const cu = upd('cu', { kb: 'KB5044304', installSeconds: 3000 });
  const lcu2 = upd('lcu2', { kb: 'KB5044303', reboot: 'always', requires: ['lcu'] });
  const hostDir = (name: string) => join(e.lab.hosts.find((h) => h.name === name)?.diskDir ?? '', '..');
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        { name: 'renames', catalog: ['fix'], pendingFileRename: 'permanent' },
        // Busy for 8 s (8000 s × 0.001) from the lab's start: the install comes while it is busy.
        { name: 'busy', catalog: ['fix2'], busyInstallerSeconds: 8000 },
        // Back within milliseconds: two boots less than a second apart must still differ.
        // A 50-minute install (3 s here): the job output must not go silent meanwhile.
        { name: 'long', catalog: ['cu'] },
        { name: 'quick', catalog: ['lcu', 'lcu2'], rebootSeconds: 0 },
      ],
      catalog: [fix, fix2, lcu, lcu2, cu],
    });
  });
  after(async () => {
    await e.close();
  });

  it('permanent PendingFileRenameOperations: installs without a reboot loop, with a warning', async () => {
    const before = await readHostSummary(hostDir('renames'));
    assert.equal(before.fileRenamesPending, true);
    const r = await e.run('renames', ['--restart']);
    assert.equal(r.report.resultCode, 100, r.out);
    assert.match(r.out, /PendingFileRenameOperations/);
    const afterRun = await readHostSummary(hostDir('renames'));
    assert.equal(afterRun.bootTime, before.bootTime, 'the host was not rebooted');
    assert.ok(afterRun.installedKbs.includes('KB5044300'));
  });

  it('a busy installer is waited for (and said so), not reported as a failed update', async () => {
    const r = await e.run('busy', ['--restart']);
    assert.equal(r.report.resultCode, 100, r.out);
    assert.match(r.out, /busy with another installation/);
    assert.match(r.out, /is free after/);
    assert.ok((await readHostSummary(hostDir('busy'))).installedKbs.includes('KB5044301'));
  });

  it('boot times are exact (microseconds from LastBootUpTime): quick reboots are each seen', async () => {
    const r = await e.run('quick', ['--restart']);
    assert.equal(r.report.resultCode, 110, r.out);
    const boots = [...r.out.matchAll(/boot time (\d{4}-\d{2}-\d{2}T[\d:.]+[+-]\d{2}:\d{2})/g)].map(
      (m) => m[1],
    );
    assert.ok(boots.length >= 2, r.out);
    for (const b of boots) assert.match(b ?? '', /\.\d{6}[+-]/, 'six fraction digits, as WMI records them');
    const kbs = (await readHostSummary(hostDir('quick'))).installedKbs;
    assert.ok(kbs.includes('KB5044302') && kbs.includes('KB5044303'), kbs.join());
  });

  it('a long install prints heartbeat lines with its progress while it runs', async () => {
    const r = await e.run('long', ['--restart']);
    assert.equal(r.report.resultCode, 100, r.out);
    const beats = r.out.split('\n').filter((l) => /still installing KB5044304: \d+% \(/.test(l));
    assert.ok(beats.length >= 2, r.out);
    assert.match(r.out, /install KB5044304: 50%/);
  });
});
