// Prechecks end to end: the real connector over SSH against lab hosts with too little free disk
// and a process that must not be disturbed (docs/usage.md#prechecks, docs/lab.md "Prechecks").
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readHostSummary } from '../../src/lab/host-state.ts';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

describe('prechecks through the lab', () => {
  let e: E2eLab;
  const fix = upd('fix', { kb: 'KB5044400', reboot: 'always' });
  const hostDir = (name: string) => join(e.lab.hosts.find((h) => h.name === name)?.diskDir ?? '', '..');
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        { name: 'full', catalog: ['fix'], freeDiskMB: 800, pendingReboot: true },
        { name: 'db', catalog: ['fix'], processes: ['SQLServr.exe'] },
        { name: 'fine', catalog: ['fix'], freeDiskMB: 4096, processes: ['notepad.exe'] },
      ],
      catalog: [fix],
    });
  });
  after(async () => {
    await e.close();
  });

  it('a failed precheck stops that server alone, with its own code; the fleet goes on', async () => {
    const r = await e.run('full', [
      ...['--server', 'db', '--server', 'fine'],
      ...['--min-free-disk', '2GB', '--skip-if-process', 'sqlservr,backup.exe', '--restart'],
      ...['--max-failures', '1'],
    ]);
    const reports = r.report as unknown as {
      server: string;
      resultCode: number;
      error?: { kind: string; message: string };
      rebooted: boolean;
    }[];
    const by = new Map(reports.map((x) => [x.server, x]));
    // The pending reboot is handled first (the host reboots), then the precheck stops the run.
    assert.equal(by.get('full')?.resultCode, -20, r.out);
    assert.equal(by.get('full')?.error?.kind, 'precheck');
    assert.match(by.get('full')?.error?.message ?? '', /800 MB free; --min-free-disk asks for 2048 MB/);
    assert.equal(by.get('full')?.rebooted, true, 'the pending reboot came first');
    assert.equal(by.get('db')?.resultCode, -20, r.out);
    assert.match(by.get('db')?.error?.message ?? '', /sqlservr is running \(--skip-if-process\)/);
    // Not a failure for the gate: --max-failures 1 did not stop the last server.
    assert.equal(by.get('fine')?.resultCode, 110, r.out);
    assert.match(r.out, /Result code: -20\s*$/);
    assert.deepEqual((await readHostSummary(hostDir('full'))).installedKbs, []);
    assert.deepEqual((await readHostSummary(hostDir('db'))).installedKbs, []);
    assert.deepEqual((await readHostSummary(hostDir('fine'))).installedKbs, ['KB5044400']);
  });

  it('a bad size is a usage error before any server is touched', async () => {
    const r = await e.run('fine', ['--min-free-disk', 'lots']);
    assert.equal(r.code, -2, r.err);
    assert.match(r.err, /--min-free-disk.*"lots" is not a size/);
  });
});
