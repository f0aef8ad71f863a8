// `wsus-connector preflight` end to end: the real CLI over ssh and winrm against lab hosts, a
// healthy host passes, a host with wuauserv disabled fails naming the check, a host whose OpenSSH
// DefaultShell is PowerShell shows that shell and its code page, and the check task is gone
// afterwards (docs/usage.md "Preflight").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { PREFLIGHT_TASK } from '../../src/connector/preflight/checks.ts';
import { preflightReportSchema } from '../../src/protocol/preflight-report.ts';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';
import { boundedTargets, type E2eTransport } from './transport.ts';

describe('preflight through the lab', () => {
  let e: E2eLab;
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        { name: 'healthy', catalog: ['a', 'b'] },
        { name: 'nowu', catalog: ['a'], wuauserv: 'disabled' },
        // OpenSSH's DefaultShell set to PowerShell on a German server (console code page 850).
        { name: 'deps', catalog: ['a'], locale: 'de-DE', sshShell: 'powershell' },
      ],
      catalog: [upd('a'), upd('b')],
    });
  });
  after(async () => {
    await e.close();
  });

  async function preflight(server: string, via: E2eTransport) {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    const reportPath = join(e.dir, `preflight-${server}-${via}.json`);
    const argv = ['preflight', '--transport', via, '--inventory', e.inventory, '--server', server];
    const code = await connectorMain([...argv, '--report', reportPath], {
      stdout,
      stderr: new PassThrough(),
      env: {},
      platform: 'linux',
      cwd: e.dir,
    });
    const report = preflightReportSchema.parse(JSON.parse(readFileSync(reportPath, 'utf8')));
    const target = await (await boundedTargets(e.inventory, via))(server);
    await target.connect();
    const task = await target.queryTask(PREFLIGHT_TASK);
    await target.close();
    return { code, out, report, task };
  }

  for (const via of ['ssh', 'winrm'] as const) {
    it(`a healthy host passes over ${via}; the check task is gone afterwards`, async () => {
      const r = await preflight('healthy', via);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /ok +wua-search: 2 applicable/);
      const shell =
        via === 'ssh' ? /ok +shell: cmd\.exe, code page 437 / : /ok +shell: cmd\.exe, code page 65001 /;
      assert.match(r.out, shell);
      assert.match(r.out, /1 of 1 servers passed/);
      assert.equal(r.report.summary.failed, 0);
      assert.equal(r.task, null);
    });
  }

  for (const via of ['ssh', 'winrm'] as const) {
    it(`wuauserv disabled fails over ${via} naming the check, the service and 0x80070422`, async () => {
      const r = await preflight('nowu', via);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /failed +wuauserv: .*wuauserv.*0x80070422.*fix:/);
      assert.equal(r.report.servers[0]?.passed, false);
      assert.equal(r.task, null);
    });
  }

  it('over ssh the shell line names PowerShell (DefaultShell) and code page 850; winrm still has cmd.exe', async () => {
    const ssh = await preflight('deps', 'ssh');
    assert.equal(ssh.code, 0, ssh.out);
    assert.match(ssh.out, /ok +shell: PowerShell, code page 850 /);
    const winrm = await preflight('deps', 'winrm');
    assert.equal(winrm.code, 0, winrm.out);
    assert.match(winrm.out, /ok +shell: cmd\.exe, code page 65001 /);
  });

  it('a bad flag is a usage error before any server is touched, as for run', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
    });
    const io = { stdout: new PassThrough(), stderr, env: {}, platform: 'linux' as const, cwd: e.dir };
    const argv = ['--inventory', e.inventory, '--server', 'healthy', '--parallel', 'x'];
    const pre = await connectorMain(['preflight', ...argv], io);
    const run = await connectorMain(['run', ...argv], { ...io, stderr: new PassThrough() });
    assert.equal(pre, run);
    assert.ok(pre !== 0 && pre !== 1);
    assert.match(err, /--parallel/);
  });
});
