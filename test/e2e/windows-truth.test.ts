// Windows behaviours the product once assumed away, end to end through the lab over real SSH:
// installs refused until a reboot, a failed RebootRequired read, a disabled Windows Update
// service, and a client stuck past its own deadline (docs/lab.md, docs/client.md).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readHostSummary } from '../../src/lab/host-state.ts';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

describe('Windows truth through the lab', () => {
  let e: E2eLab;
  const ssu = upd('ssu', { kb: 'KB5044400', reboot: 'always', blocksFurtherInstalls: true });
  const a = upd('a', { kb: 'KB5044401' });
  const b = upd('b', { kb: 'KB5044402', exclusive: true });
  const fix = upd('fix', { kb: 'KB5044403' });
  const stuck = upd('stuck', { kb: 'KB5044404', installSeconds: 600_000 });
  const hostDir = (name: string) => join(e.lab.hosts.find((h) => h.name === name)?.diskDir ?? '', '..');
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        { name: 'blocks', catalog: ['ssu', 'a', 'b'], rebootSeconds: 0 },
        { name: 'blocks2', catalog: ['ssu', 'a'] },
        { name: 'unknown', catalog: ['fix'], systemInfoFails: 'until-reboot', rebootSeconds: 0 },
        { name: 'unknown2', catalog: ['fix'], systemInfoFails: 'always' },
        { name: 'disabled', catalog: ['fix'], wuauserv: 'disabled' },
        { name: 'manual', catalog: ['fix'], wuauserv: 'manual' },
        { name: 'stuck', catalog: ['stuck'] },
      ],
      catalog: [ssu, a, b, fix, stuck],
    });
  });
  after(async () => {
    await e.close();
  });

  it('an update that blocks further installs defers the rest to the next cycle, never fails them', async () => {
    const r = await e.run('blocks', ['--restart']);
    assert.equal(r.report.resultCode, 110, r.out);
    assert.match(r.out, /deferred to the next cycle/);
    const kbs = (await readHostSummary(hostDir('blocks'))).installedKbs;
    for (const kb of ['KB5044400', 'KB5044401', 'KB5044402']) assert.ok(kbs.includes(kb), kbs.join());
    const updates = r.report.updates as { kb: string; status: string }[];
    assert.ok(
      updates.every((u) => u.status !== 'failed'),
      JSON.stringify(updates),
    );
  });

  it('without --restart the blocked installs stay downloaded, with the reboot warning', async () => {
    const r = await e.run('blocks2');
    assert.equal(r.report.resultCode, 105, r.out);
    const updates = r.report.updates as { kb: string; status: string }[];
    assert.equal(updates.find((u) => u.kb === 'KB5044401')?.status, 'downloaded');
  });

  it('a failed RebootRequired read is unknown: reported, and pending with --restart', async () => {
    const r = await e.run('unknown', ['--restart']);
    assert.match(r.out, /RebootRequired could not be read/);
    assert.equal(r.report.resultCode, 115, r.out);
    const r2 = await e.run('unknown2');
    assert.equal(r2.report.resultCode, 105, r2.out);
    assert.match(r2.out, /unknown, not treated as pending/);
  });

  it('a disabled Windows Update service names the service and the code, and says what to do', async () => {
    const r = await e.run('disabled');
    assert.equal(r.report.resultCode, -8, r.out);
    assert.match(r.out, /wuauserv/);
    assert.match(r.out, /0x80070422/i);
    assert.match(r.report.error?.message ?? '', /startup type to Manual/);
    const m = await e.run('manual');
    assert.equal(m.report.resultCode, 100, m.out);
  });

  it('a client stuck past --client-timeout ends with client-timeout and hands its log over', async () => {
    const r = await e.run('stuck', ['--client-timeout', '3s']);
    assert.equal(r.report.error?.kind, 'client-timeout', r.out);
    assert.equal(r.report.resultCode, -14, r.out);
    assert.match(r.out, /installing KB5044404/);
    assert.match(r.out, /deadline of 3s/);
  });
});
