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
  const hostDir = (name: string) => join(e.lab.hosts.find((h) => h.name === name)?.diskDir ?? '', '..');
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        { name: 'renames', catalog: ['fix'], pendingFileRename: 'permanent' },
        // Busy for 8 s (8000 s × 0.001) from the lab's start: the install comes while it is busy.
        { name: 'busy', catalog: ['fix2'], busyInstallerSeconds: 8000 },
      ],
      catalog: [fix, fix2],
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
});
