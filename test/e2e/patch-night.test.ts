// The patch night end to end: the real connector CLI over real SSH against lab hosts, with
// waves and a failure gate, a maintenance window, a before-reboot hook, the JUnit and HTML
// reports (xmllint against the JUnit schema, the page in a real headless Chromium) and the
// webhook (a local HTTP server on 127.0.0.1).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readHostSummary } from '../../src/lab/host-state.ts';
import { chromiumPath, dumpDom, screenshot } from './chromium.ts';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

type Report = {
  server: string;
  resultCode: number;
  exitCode: number;
  warnings: string[];
  cycles: { n: number; rebooted: boolean }[];
  error?: { kind: string; message: string };
  deadline?: { at: string; stopped: string };
};

const XSD = join(import.meta.dirname, '..', 'fixtures', 'junit', 'JUnit.xsd');

describe('the patch night through the lab', () => {
  let e: E2eLab;
  const lcu = upd('lcu', { reboot: 'always', kb: 'KB5044281' });
  const ssu = upd('ssu', { reboot: 'always', kb: 'KB5044288', requires: ['lcu'], installSeconds: 4000 });
  const def = upd('def', { kb: 'KB2267602', classification: 'Definition Updates', severity: null });
  const bad = upd('bad', {
    kb: 'KB5044099',
    failures: [1, 2, 3].map((attempt) => ({ phase: 'install', attempt, hresult: '0x800F0922' })),
  });
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        { name: 'canary', catalog: ['bad'] },
        { name: 'web1', catalog: ['def'] },
        { name: 'web2', catalog: ['def'] },
        { name: 'web3', catalog: ['def'] },
        { name: 'sql1', catalog: ['lcu', 'ssu'] },
        { name: 'hooked', catalog: ['lcu'] },
        { name: 'mixok', catalog: ['def'] },
        { name: 'mixreboot', catalog: ['lcu'] },
        { name: 'mixbad', catalog: ['bad'] },
        { name: 'hookok', catalog: ['def'] },
      ],
      catalog: [lcu, ssu, def, bad],
    });
  });
  after(async () => {
    await e.close();
  });

  const hostDir = (name: string) => join(e.lab.hosts.find((h) => h.name === name)?.diskDir ?? '', '..');
  const reports = (r: { report: unknown }) => r.report as unknown as Report[];

  it('a canary wave that fails stops the fleet at the gate; the rest are not started', async () => {
    const r = await e.run('canary', [
      ...['--server', 'web1', '--server', 'web2', '--server', 'web3'],
      ...['--waves', '1,rest', '--max-failures', '1', '--exit-codes', 'posix'],
    ]);
    const rows = reports(r);
    assert.deepEqual(
      rows.map((x) => [x.server, x.error?.kind ?? 'ok']),
      [
        ['canary', 'update-failed'],
        ['web1', 'not-started'],
        ['web2', 'not-started'],
        ['web3', 'not-started'],
      ],
      r.out,
    );
    assert.equal(rows[1]?.resultCode, -12);
    assert.equal(rows[1]?.exitCode, 12);
    // The failure that closed the gate decides the run's code, not the servers it left alone.
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /wave 1 of 2: 1 server\(s\): canary/);
    assert.match(r.out, /fleet stopped by the max-failures gate: --max-failures 1 reached: 1 of 4/);
    assert.match(r.out, /Result code: -1\n$/);
    for (const name of ['web1', 'web2', 'web3'])
      assert.deepEqual((await readHostSummary(hostDir(name))).installedKbs, [], `${name} was touched`);
  });

  it('bad wave, gate, deadline, hook and webhook values are usage errors before any server', async () => {
    for (const flags of [
      ['--waves', '1,rest,2'],
      ['--max-failures', '0'],
      ['--deadline', '25:00'],
      ['--deadline', '05:00', '--max-runtime', '1h'],
      ['--hook', 'during-reboot=echo hi'],
      ['--hook-timeout', 'soon'],
      ['--notify-webhook', 'ftp://example.invalid/'],
      ['--report-html', '/no/such/folder/r.html'],
    ]) {
      const r = await e.run('web1', flags);
      assert.equal(r.code, -2, `${flags.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.out, /Result code: -2\n$/);
      assert.match(r.err, new RegExp(flags[0]!));
    }
    assert.deepEqual((await readHostSummary(hostDir('web1'))).installedKbs, []);
  });

  it('a deadline stops a multi-cycle host before its second reboot: warning, deadline in the report', async () => {
    const r = await e.run('sql1', ['--restart', '--max-runtime', '2s']);
    const rep = r.report as unknown as Report;
    assert.equal(rep.resultCode % 10, 5, r.out);
    assert.equal(rep.resultCode, 115, r.out);
    assert.ok(rep.deadline, r.out);
    assert.match(rep.deadline.stopped, /reboot after cycle 2/);
    assert.ok(rep.warnings.some((w) => /deadline/.test(w)));
    assert.deepEqual(
      rep.cycles.map((c) => c.rebooted),
      [true, false],
    );
    const s = await readHostSummary(hostDir('sql1'));
    assert.equal(s.rebootPending, true, 'the second reboot did not happen');
    // KB5044288 is installed but completes only at the reboot that did not happen.
    assert.deepEqual(s.installedKbs, ['KB5044281']);
    assert.match(r.out, /--max-runtime 2s has passed: the reboot after cycle 2 not started/);
  });

  it('a failing before-reboot hook: no reboot, error.kind "hook" with its exit code', async () => {
    const bootBefore = (await readHostSummary(hostDir('hooked'))).bootTime;
    const r = await e.run('hooked', [
      '--restart',
      '--hook',
      'before-server=echo "draining $WSUS_SERVER"',
      '--hook',
      'before-reboot=echo "no reboot for $WSUS_SERVER cycle $WSUS_CYCLE ($WSUS_PHASE)"; exit 7',
    ]);
    assert.equal(r.report.error?.kind, 'hook', r.out);
    assert.match(r.report.error?.message ?? '', /exited with 7/);
    assert.equal(r.report.resultCode, -13);
    assert.match(r.out, /hook before-server \| draining hooked/);
    assert.match(r.out, /hook before-reboot \| no reboot for hooked cycle 1 \(before-reboot\)/);
    const s = await readHostSummary(hostDir('hooked'));
    assert.equal(s.bootTime, bootBefore, 'the server must not have rebooted');
    assert.equal(s.rebootPending, true);
    // The host is left usable: a rerun without the hook patches it through the reboot.
    const again = await e.run('hooked', ['--restart']);
    assert.equal(again.report.resultCode, 10, again.out);
  });

  it('the JUnit and HTML reports of a mixed fleet (xmllint against the schema, Chromium)', async () => {
    const junit = join(e.dir, 'night.xml');
    const html = join(e.dir, 'night.html');
    const r = await e.run('mixok', [
      ...['--server', 'mixreboot', '--server', 'mixbad', '--server', 'hookok', '--restart'],
      ...['--hook', 'before-server=test "$WSUS_SERVER" != hookok'],
      ...['--report-junit', junit, '--report-html', html, '--parallel', '2'],
    ]);
    const rows = reports(r);
    assert.deepEqual(
      rows.map((x) => x.resultCode),
      [100, 110, -1, -13],
      r.out,
    );
    const xml = readFileSync(junit, 'utf8');
    execFileSync('xmllint', ['--noout', '--schema', XSD, junit], { stdio: 'pipe' });
    assert.match(xml, /<testsuite [^>]*tests="4"[^>]*failures="1"[^>]*errors="1"/);
    assert.match(xml, /<testcase name="mixbad"[^>]*>\s*<failure [^>]*>[^<]*KB5044099[^<]*0x800F0922/);
    assert.match(xml, /0x800F0922 CBS_E_INSTALLERS_FAILED|0x800F0922 \w+/);

    const page = readFileSync(html, 'utf8');
    assert.doesNotMatch(page, /(src|href)="(https?:)?\/\//, 'no network resources');
    if (!chromiumPath()) {
      process.stdout.write(
        '# chromium not installed (scripts/install-system-deps.sh); HTML checked as text only\n',
      );
      for (const s of ['mixok', 'mixreboot', 'mixbad', 'hookok'])
        assert.match(page, new RegExp(`data-server="${s}"`));
      return;
    }
    const dom = await dumpDom(html, e.dir);
    for (const s of ['mixok', 'mixreboot', 'mixbad', 'hookok'])
      assert.match(dom, new RegExp(`<tr data-server="${s}">`), `row of ${s}`);
    assert.match(dom, /1 of 4 server\(s\) failed|2 of 4 server\(s\) failed/);
    // Kept after the lab's folder is gone, for a person (or a CI artifact step) to look at.
    const keep = mkdtempSync(join(tmpdir(), 'wsus-connector-html-report-'));
    copyFileSync(html, join(keep, 'night.html'));
    const png = join(keep, 'night-phone.png');
    await screenshot(html, png, e.dir);
    const wide = join(keep, 'night-desktop.png');
    await screenshot(html, wide, e.dir, '1280,900');
    assert.ok(statSync(png).size > 5000 && statSync(wide).size > 5000);
    process.stdout.write(`# HTML report screenshots: ${png} ${wide}\n`);
  });

  it('the webhook gets the summary (a retry after a 503); a dead webhook is only a warning', async () => {
    const bodies: string[] = [];
    let calls = 0;
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        calls += 1;
        bodies.push(body);
        res.statusCode = calls === 1 ? 503 : 204;
        res.end();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await e.run('web2', ['--notify-webhook', `http://127.0.0.1:${port}/night`]);
      assert.equal(r.report.resultCode, 100, r.out);
      assert.equal(calls, 2, r.out);
      const summary = JSON.parse(bodies[1]!);
      assert.equal(summary.resultCode, 100);
      assert.equal(summary.counts.servers, 1);
      assert.equal(summary.servers[0].server, 'web2');
      assert.match(r.out, /webhook: posted the summary \(HTTP 204, attempt 2\)/);
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
    // The same port, now closed: connection refused on every attempt.
    const dead = await e.run('web3', ['--notify-webhook', `http://127.0.0.1:${port}/night`]);
    assert.equal(dead.report.resultCode, 100, dead.out);
    assert.equal(dead.code, 100);
    assert.match(dead.out, /warning: the webhook failed \(.*after 3 attempt\(s\)\); the run's result stands/);
    assert.ok(existsSync(join(e.dir)));
  });
});
