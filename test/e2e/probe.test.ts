// The adversarial probe against the lab, through the real CLI over real SSH: a host whose key
// changes across its reboot (refused, nothing installed after), two connectors on one host at
// once (exactly one patches), and values full of shell metacharacters (what the lab receives
// shows none of them reached a command line).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type E2eLab, e2eLab, installCounts, upd } from './lab-fixture.ts';

describe('probe: host key, two connectors, metacharacters', () => {
  let e: E2eLab;
  before(async () => {
    e = await e2eLab({
      timeScale: 0.01,
      hosts: [
        { name: 'rekeyed', rebootSeconds: 50, catalog: ['ssu', 'lcu'] },
        { name: 'contended', catalog: ['msrt'] },
        { name: 'quoted', catalog: ['msrt'] },
      ],
      catalog: [
        upd('ssu', { reboot: 'always', installSeconds: 20 }),
        upd('lcu', { reboot: 'can', requires: ['ssu'], installSeconds: 20 }),
        upd('msrt', { reboot: 'never', installSeconds: 100 }),
      ],
    });
  });
  after(() => e.close());

  const host = (name: string) => e.lab.hosts.find((h) => h.name === name)!;
  const installs = (server: string) => Object.values(installCounts(e.dir, server));

  it('a host key that changes across a reboot is refused as host-key (-3)', async () => {
    const h = host('rekeyed');
    h.onEvent = (m) => {
      if (/rebooting/.test(m)) h.replaceHostKey();
    };
    const r = await e.run('rekeyed', ['--restart', '--connect-timeout', '5s', '--reboot-timeout', '20s']);
    assert.equal(r.report.resultCode, -3, r.out);
    assert.equal(r.report.error?.kind, 'host-key', r.out);
    assert.match(r.report.error?.message ?? '', /host key/i);
    assert.deepEqual(installs('rekeyed'), [1], 'only the first cycle installed; none after');
  });

  it('two connectors against one host at once: exactly one patches, the other is refused (-7)', async () => {
    const [a, b] = await Promise.all([e.run('contended'), e.run('contended')]);
    const codes = [a.report.resultCode, b.report.resultCode].sort((x, y) => x - y);
    assert.deepEqual(codes, [-7, 100], `${a.out}\n----\n${b.out}`);
    const refused = a.report.resultCode === -7 ? a : b;
    assert.equal(refused.report.error?.kind, 'lock-held');
    assert.deepEqual(installs('contended'), [1], 'installed once');
  });

  it('a client path cmd.exe cannot quote safely is a usage error before any connection', async () => {
    const lines: string[] = [];
    host('quoted').onExec = (l) => lines.push(l);
    for (const evil of [`C:\\wsus\\"q&calc\\wsus-client.exe`, 'C:\\%TEMP%\\wsus-client.exe']) {
      const r = await e.run('quoted', ['--client-path', evil]);
      assert.equal(r.code, -2, r.out + r.err);
      assert.match(r.err, /--client-path: /);
    }
    assert.deepEqual(lines, [], 'nothing reached the host');
  });

  it('metacharacters in --client-path and --title reach a command line only inside quotes', async () => {
    const lines: string[] = [];
    host('quoted').onExec = (l) => lines.push(l);
    const evil = "C:\\wsus;$(touch x)&calc|'`id`(1)\\wsus-client.exe";
    const r = await e.run('quoted', ['--client-path', evil, '--title', `"; rm -rf / #$(id)`]);
    assert.ok(lines.length > 0, 'the connector did reach the host');
    const quoted = /"[^"]*"/g;
    for (const l of lines) {
      const bare = l.replace(quoted, '');
      for (const bit of ['$(', '`', ';', '&', '|', 'rm -rf']) {
        assert.ok(!bare.includes(bit), `"${bit}" outside quotes in: ${l}`);
      }
    }
    assert.ok(
      lines.some((l) => l.includes(`"${evil}"`)),
      `the path arrived whole, quoted:\n${lines.join('\n')}`,
    );
    assert.notEqual(r.report.resultCode, -10, r.out);
    assert.match(r.out.trimEnd().split('\n').at(-1) ?? '', /^Result code: -?\d+$/);
  });
});
