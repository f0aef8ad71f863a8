// `wsus-connector lab --workers 2` as a real process: the supervisor forks two workers, writes one
// inventory (scenario order, distinct ports, one identity file), the real connector patches every
// host through it, and stopping the supervisor leaves no worker behind; a worker that dies takes
// the lab down with a message naming it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CONNECTOR_BIN, fleetScenario, type Watched, watch } from '../../bench/fleet-lab.ts';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { capturedIo } from '../cli/captured-io.ts';
import { waitFor } from '../client/test-env.ts';

const HOSTS = 4;

/** Why: the workers are the supervisor's direct children (Linux lists them in /proc). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Why: every lab this file starts is a real supervisor process, stopped and reaped in a bound. */
function startLabProcess(dir: string): Watched {
  return watch(
    [CONNECTOR_BIN, 'lab', '--scenario', 'scenario.json', '--inventory', 'inventory.json', '--workers', '2'],
    dir,
  );
}

/** Until the lab says it is ready, or has exited (bounded). */
function labReady(lab: Watched): Promise<void> {
  return waitFor(
    () => lab.output().includes('Press Ctrl+C to stop.') || lab.child.exitCode !== null,
    'the lab',
    60_000,
  );
}

async function stopLab(lab: Watched): Promise<number | null> {
  if (lab.child.exitCode === null && lab.child.signalCode === null) lab.child.kill('SIGTERM');
  const code = await Promise.race([
    lab.exited,
    new Promise<'late'>((r) => setTimeout(() => r('late'), 40_000)),
  ]);
  if (code === 'late') {
    lab.child.kill('SIGKILL');
    assert.fail(`the lab did not stop within 40 s:\n${lab.output()}`);
  }
  lab.stopSampling();
  return code;
}

describe('lab --workers 2', { timeout: 180_000 }, () => {
  let dir: string;
  const scenario = fleetScenario(HOSTS, 0.02, 'wk');
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wsus-lab-workers-'));
    writeFileSync(join(dir, 'scenario.json'), JSON.stringify(scenario));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('serves one inventory in scenario order; the connector patches every host to 110; stop leaves no worker', async () => {
    const lab = startLabProcess(dir);
    try {
      await labReady(lab);
      assert.match(lab.output(), /Press Ctrl\+C to stop\./, lab.output());
      const workers = childPids(lab.child.pid ?? 0);
      assert.equal(workers.length, 2, `two worker processes: ${workers.join(' ')}`);

      const hosts = JSON.parse(readFileSync(join(dir, 'inventory.json'), 'utf8')).hosts as {
        name: string;
        port: number;
        identityFile: string;
      }[];
      const names = scenario.hosts.map((h) => h.name);
      assert.deepEqual(
        hosts.map((h) => h.name),
        names,
      );
      assert.equal(new Set(hosts.map((h) => h.port)).size, HOSTS, 'distinct ports');
      assert.deepEqual(
        [...new Set(hosts.map((h) => h.identityFile))],
        [join(dir, 'inventory.json.lab', 'id_ed25519')],
      );
      const listed = lab.output().match(/^\S+ +ssh on 127\.0\.0\.1:\d+$/gm) ?? [];
      assert.deepEqual(
        listed.map((l) => l.split(' ')[0]),
        names,
      );

      const report = join(dir, 'report.json');
      const t = capturedIo(dir);
      const code = await connectorMain(
        [
          'run',
          '--transport',
          'ssh',
          '--inventory',
          'inventory.json',
          '--parallel',
          String(HOSTS),
          '--restart',
          '--report',
          report,
        ],
        t.io,
      );
      const results = JSON.parse(readFileSync(report, 'utf8')) as { server: string; resultCode: number }[];
      assert.deepEqual(
        results.map((r) => [r.server, r.resultCode]).sort(),
        names.map((n) => [n, 110]),
        t.out().slice(-3000),
      );
      assert.equal(code, 0);
      assert.match(
        lab.output(),
        /^\S+Z wk\d: rebooting/m,
        "the workers' event lines reach the supervisor's stdout",
      );

      assert.equal(await stopLab(lab), 0);
      assert.match(lab.output(), /Stopping the lab \(host folders are kept\)\.\n$/);
      await waitFor(() => !workers.some(alive), 'the workers to exit', 10_000);
    } finally {
      await stopLab(lab);
    }
  });

  it('a worker that dies stops the lab, non-zero, naming the worker', async () => {
    const lab = startLabProcess(dir);
    try {
      await labReady(lab);
      const workers = childPids(lab.child.pid ?? 0);
      assert.equal(workers.length, 2);
      process.kill(workers[0] ?? 0, 'SIGKILL');
      const code = await Promise.race([lab.exited, new Promise((r) => setTimeout(() => r('late'), 40_000))]);
      assert.equal(code, 1, lab.output());
      assert.match(lab.output(), /worker \d\/2 \(pid \d+\) exited \(SIGKILL\)/);
      await waitFor(() => !workers.some(alive), 'the other worker to exit', 10_000);
    } finally {
      await stopLab(lab);
    }
  });
});
