// SIGKILL of the connector at five moments of a three-cycle chain, then the same command again:
// the rerun ends as an uninterrupted run does (110), each update is installed once, and no lock is
// left behind (a third run finds nothing to do and exits 0, not lock-held).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type E2eLab, e2eLab, installCounts, upd } from './lab-fixture.ts';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'wsus-connector.ts');

/** Where to kill: the first output line matching each pattern. */
const MOMENTS: [string, RegExp][] = [
  ['after the lock, before the task', /lock acquired/],
  ['once the task is registered', /registered and started/],
  ['mid-install', /installing/],
  ['after the ack, as the reboot starts', /acknowledged/],
  ['while waiting for the reboot', /server went down/],
];

describe('SIGKILL at five moments, then the same command', () => {
  let e: E2eLab;
  before(async () => {
    e = await e2eLab({
      timeScale: 0.01,
      hosts: MOMENTS.map((_, i) => ({ name: `k${i}`, rebootSeconds: 150, catalog: ['ssu', 'lcu'] })),
      catalog: [
        upd('ssu', { reboot: 'always', installSeconds: 150 }),
        upd('lcu', { reboot: 'can', requires: ['ssu'], installSeconds: 150 }),
      ],
    });
  });
  after(() => e.close());

  const installs = (server: string) => Object.values(installCounts(e.dir, server));

  MOMENTS.forEach(([label, pattern], i) => {
    it(label, async () => {
      const server = `k${i}`;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CLI, 'run', '--inventory', e.inventory, '--server', server, '--restart'],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
      });
      const started = Date.now();
      while (!pattern.test(out) && child.exitCode === null && Date.now() - started < 60_000)
        await new Promise((r) => setTimeout(r, 20));
      assert.match(out, pattern, 'the connector reached the moment');
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
      assert.doesNotMatch(out, /Result code:/, 'killed before it ended');

      const rerun = await e.run(server, ['--restart']);
      assert.equal(rerun.report.resultCode, 110, rerun.out);
      assert.deepEqual(installs(server), [1, 1], 'each update installed once');
      const third = await e.run(server, ['--restart']);
      assert.equal(third.report.resultCode, 0, `no stale lock: ${third.out}`);
    });
  });
});
