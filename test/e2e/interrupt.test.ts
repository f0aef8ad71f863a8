// SIGTERM at any moment ends the real connector process within seconds with every server's
// summary, the result line and the report; an interrupted server says what still runs on it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'wsus-connector.ts');

describe('SIGTERM mid-run', () => {
  let e: E2eLab;
  before(async () => {
    e = await e2eLab({
      timeScale: 0.01,
      hosts: [
        { name: 'srv01', rebootSeconds: 100, catalog: ['ssu'] },
        // Refuses connections for 10 minutes: the connector is stuck waiting to connect.
        { name: 'srv02', catalog: ['ssu'], faults: [] },
      ],
      catalog: [upd('ssu', { reboot: 'never', installSeconds: 3000 })],
    });
  });
  after(() => e.close());

  for (const [label, pattern] of [
    ['mid-install', /installing/],
    ['while waiting to connect', /srv02/],
  ] as const) {
    it(`${label}: summaries, fleet table, result line and report within seconds`, async () => {
      if (label === 'while waiting to connect')
        e.lab.hosts[1]?.injectFault({ do: 'refuse-ssh', ms: 600_000 });
      const report = join(e.dir, `sigterm-${label.replace(/\W+/g, '-')}.json`);
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          CLI,
          'run',
          '--inventory',
          e.inventory,
          '--server',
          'srv01',
          '--server',
          'srv02',
          '--parallel',
          '2',
          '--exit-codes',
          'opcon',
          '--report',
          report,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
      });
      const started = Date.now();
      while (!pattern.test(out) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, pattern);
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.once('close', r));
      assert.ok(Date.now() - t0 < 10_000, `ended ${Date.now() - t0} ms after SIGTERM`);
      assert.match(out, /Result code: -11\n?$/, out);
      assert.equal(code, 245, 'opcon -11 as an exit status');
      const r = JSON.parse(readFileSync(report, 'utf8')) as { servers?: { error?: { message: string } }[] };
      assert.ok(r, 'a report');
      if (label === 'while waiting to connect')
        assert.match(out, /srv02 \| .*WARNING: .*waiting up to 3m for it to accept connections/, out);
      if (label === 'mid-install')
        assert.match(out, /task \\WsusConnector\\Patch of run \S+ cycle 1 and its client still run/);
    });
  }
});
