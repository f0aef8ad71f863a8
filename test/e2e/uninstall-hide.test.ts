// Uninstall and hide end to end (docs/usage.md#uninstall-and-hide): lab catalog `uninstallable`,
// hidden updates not offered (IsHidden=0), an LCU Windows will not remove refused by name.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readHostSummary } from '../../src/lab/host-state.ts';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

type Row = { kb: string; status: string };

describe('uninstall and hide through the lab', () => {
  let e: E2eLab;
  const bad = upd('bad', { kb: 'KB5044800', uninstallable: true, reboot: 'always' });
  const lcu = upd('lcu', { kb: 'KB5044801', reboot: 'always' });
  const flaky = upd('flaky', { kb: 'KB5044802' });
  const good = upd('good', { kb: 'KB5044803' });
  const hostDir = (name: string) => join(e.lab.hosts.find((h) => h.name === name)?.diskDir ?? '', '..');
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        { name: 'app01', catalog: ['bad', 'lcu'], installed: ['KB5044800', 'KB5044801'] },
        { name: 'app02', catalog: ['flaky', 'good'] },
      ],
      catalog: [bad, lcu, flaky, good],
    });
  });
  after(async () => {
    await e.close();
  });

  it('--uninstall removes an uninstallable KB across its reboot; a check-only run offers it again', async () => {
    const r = await e.run('app01', ['--uninstall', 'KB5044800', '--restart']);
    assert.equal(r.report.resultCode, 110, r.out);
    const rows = r.report.updates as Row[];
    assert.deepEqual(
      rows.map((u) => [u.kb, u.status]),
      [['KB5044800', 'uninstalled']],
    );
    assert.deepEqual((await readHostSummary(hostDir('app01'))).installedKbs, ['KB5044801']);
    const check = await e.run('app01', ['--check-only']);
    assert.equal(check.report.resultCode, 1100, check.out);
    assert.ok((check.report.updates as Row[]).some((u) => u.kb === 'KB5044800' && u.status === 'available'));
  });

  it('an update Windows will not remove is refused by name, before anything changes', async () => {
    const r = await e.run('app01', ['--uninstall', 'KB5044801', '--restart']);
    assert.equal(r.report.resultCode, -8, r.out);
    assert.match(r.report.error?.message ?? '', /uninstall-refused: .*KB5044801 .*IsUninstallable false/);
    assert.ok((await readHostSummary(hostDir('app01'))).installedKbs.includes('KB5044801'));
  });

  it('--hide keeps a KB off the server and out of a check-only run; --unhide brings it back', async () => {
    const r = await e.run('app02', ['--hide', 'KB5044802']);
    assert.equal(r.report.resultCode, 100, r.out);
    assert.match(r.out, /hid KB5044802/);
    assert.deepEqual((await readHostSummary(hostDir('app02'))).installedKbs, ['KB5044803']);
    const check = await e.run('app02', ['--check-only']);
    assert.equal(check.report.resultCode, 1000, check.out);
    const back = await e.run('app02', ['--unhide', 'KB5044802']);
    assert.equal(back.report.resultCode, 100, back.out);
    assert.deepEqual((await readHostSummary(hostDir('app02'))).installedKbs, ['KB5044802', 'KB5044803']);
  });

  it('refuses uninstall or hide in a check-only run, and a bad KB, before touching a server', async () => {
    const r = await e.run('app02', ['--check-only', '--hide', 'KB5044802']);
    assert.equal(r.code, -2, r.err);
    assert.match(r.err, /not with a check-only run/);
    const k = await e.run('app02', ['--uninstall', 'latest']);
    assert.equal(k.code, -2);
    assert.match(k.err, /--uninstall.*not a KB number/);
  });
});
