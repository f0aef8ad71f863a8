// One lab host patched over WinRM through the real connector CLI: NTLM with message encryption to
// the lab's listener, the task, the pipe through `wsus-client relay` as a long-running command,
// two reboots. It must end 110 like the same host over ssh, and the host's password (from the
// inventory's password file) must appear nowhere: not in the output, the report or the argv.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

const scenario = {
  timeScale: 0.01,
  hosts: [
    { name: 'w1', rebootSeconds: 50, catalog: ['ssu', 'lcu'] },
    { name: 's1', rebootSeconds: 50, catalog: ['ssu', 'lcu'] },
  ],
  catalog: [
    upd('ssu', { reboot: 'always', installSeconds: 20 }),
    upd('lcu', { reboot: 'can', requires: ['ssu'], installSeconds: 20 }),
  ],
};

describe('a lab host over --transport winrm', () => {
  let winrm: E2eLab;
  let passwords: string[] = [];
  /** Until the lab's WinRM listener writes its inventory entries, there is nothing to run against. */
  let listening = false;
  before(async () => {
    winrm = await e2eLab(scenario, 'winrm');
    const inv = JSON.parse(readFileSync(winrm.inventory, 'utf8')) as {
      hosts: Array<{ winrm?: { passwordFile: string } }>;
    };
    listening = inv.hosts.some((h) => h.winrm);
    passwords = inv.hosts.map((h) => {
      if (listening) assert.ok(h.winrm, 'the lab writes a winrm entry for every host');
      return h.winrm ? readFileSync(h.winrm.passwordFile, 'utf8').trim() : '';
    });
  });
  after(() => winrm?.close());

  it('patches across two reboots to 110, as the same host does over ssh, and no password leaks', async (t) => {
    if (!listening)
      return t.skip('the lab writes no winrm inventory entries (no WinRM listener in this lab)');
    const argv: string[] = ['--restart'];
    const r = await winrm.run('w1', argv);
    assert.equal(r.report.resultCode, 110, r.out + r.err);
    assert.match(r.out, /Result code: 110/);
    // The twin host over ssh: the same code.
    assert.equal((await winrm.run('s1', ['--restart'], 'ssh')).report.resultCode, r.report.resultCode);
    const everything = [r.out, r.err, JSON.stringify(r.report), argv.join(' ')].join('\n');
    for (const p of passwords) {
      assert.ok(p.length >= 8, 'the lab password is a real secret');
      assert.ok(!everything.includes(p), 'the password appears in the output, report or argv');
    }
  });

  it('a wrong password is an authentication failure with a result line and a report', async (t) => {
    if (!listening)
      return t.skip('the lab writes no winrm inventory entries (no WinRM listener in this lab)');
    const inv = JSON.parse(readFileSync(winrm.inventory, 'utf8')) as {
      hosts: Array<{ name: string; winrm: { passwordFile: string } }>;
    };
    const file = inv.hosts.find((h) => h.name === 'w1')?.winrm.passwordFile as string;
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, 'not-the-password', { mode: 0o600 });
    try {
      const r = await winrm.run('w1', []);
      assert.match(r.out, /Result code: /);
      assert.equal(r.report.error?.kind, 'auth', r.out);
    } finally {
      writeFileSync(file, good, { mode: 0o600 });
    }
  });
});
