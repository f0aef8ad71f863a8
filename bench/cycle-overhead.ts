// bench/cycle-overhead: what the connector adds on top of the work itself. One lab host, a
// three-cycle chain (A needs a reboot, B needs A and a reboot, then a clean verifying cycle).
// Floor = the lab's emulated download + install + reboot time for that run; the rest is the
// connector's overhead (task registration, pipe, the reboot's detection), per cycle in ms.
// The same run with --start-delay 1m (the classic timing) shows what starting at once saves.
//   node --import tsx bench/cycle-overhead.ts [--time-scale 0.01] [--skip-delayed]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { connectorMain } from '../src/cli/connector-main.ts';
import { startLabInProcess } from '../src/cli/lab-handle.ts';

const args = process.argv.slice(2);
const scaleArg = args.indexOf('--time-scale');
const TIME_SCALE = scaleArg >= 0 ? Number(args[scaleArg + 1]) : 0.01;
const SKIP_DELAYED = args.includes('--skip-delayed');
const CYCLES = 3;

const A = { downloadSeconds: 30, installSeconds: 120 };
const B = { downloadSeconds: 40, installSeconds: 600 };
const REBOOT_SECONDS = 90;

/** Lab seconds of emulated work in the chain: both updates, two reboots. */
const FLOOR_MS =
  (A.downloadSeconds + A.installSeconds + B.downloadSeconds + B.installSeconds + 2 * REBOOT_SECONDS) *
  1000 *
  TIME_SCALE;

function scenario() {
  const item = (id: string, kb: string, t: typeof A, requires: string[]) => ({
    id,
    updateId: `0b7c1a2e-0000-4000-8000-00000000000${id === 'a' ? 1 : 2}`,
    kb,
    title: `Bench update ${kb}`,
    classification: 'Security Updates',
    severity: 'Critical',
    sizeMB: 100,
    ...t,
    reboot: 'always',
    exclusive: false,
    eula: false,
    optional: false,
    requires,
    failures: [],
    reinstalls: false,
  });
  return {
    timeScale: TIME_SCALE,
    hosts: [
      {
        name: 'bench01',
        os: 'Windows Server 2022',
        timeZone: 'UTC',
        rebootSeconds: REBOOT_SECONDS,
        pendingReboot: false,
        bootStuck: false,
        installed: [],
        catalog: ['a', 'b'],
      },
    ],
    catalog: [item('a', 'KB9000001', A, []), item('b', 'KB9000002', B, ['a'])],
  };
}

async function once(
  label: string,
  extra: string[],
  expectedExit = 0,
): Promise<{ wallMs: number; code: number; resultLine: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'wsus-bench-'));
  try {
    const scenarioPath = join(dir, 'scenario.json');
    await writeFile(scenarioPath, JSON.stringify(scenario(), null, 2));
    const inventoryPath = join(dir, 'inventory.json');
    const lab = await startLabInProcess({ scenarioPath, inventoryPath, dir: join(dir, 'lab') });
    const out = new PassThrough();
    let text = '';
    out.on('data', (c) => {
      text += c;
    });
    try {
      const t0 = performance.now();
      const code = await connectorMain(
        [
          'run',
          '--transport',
          'ssh',
          '--inventory',
          inventoryPath,
          '--server',
          'bench01',
          '--restart',
          '--exit-codes',
          'posix',
          ...extra,
        ],
        { stdout: out, stderr: process.stderr, env: process.env, platform: process.platform, cwd: dir },
      );
      const wallMs = performance.now() - t0;
      const resultLine = text.trimEnd().split('\n').at(-1) ?? '';
      if (code !== expectedExit) process.stderr.write(`${label}: exit ${code}\n${text}\n`);
      return { wallMs, code, resultLine };
    } finally {
      await lab.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function report(label: string, r: { wallMs: number; resultLine: string }): number {
  const overhead = r.wallMs - FLOOR_MS;
  const perCycle = overhead / CYCLES;
  process.stdout.write(
    `${label.padEnd(22)} wall ${(r.wallMs / 1000).toFixed(2)} s   floor ${(FLOOR_MS / 1000).toFixed(2)} s   ` +
      `overhead ${Math.round(overhead)} ms = ${Math.round(perCycle)} ms/cycle   (${r.resultLine})\n`,
  );
  return perCycle;
}

process.stdout.write(`cycle-overhead: 1 host, ${CYCLES}-cycle chain, time scale ${TIME_SCALE}\n`);
// The first run in a process pays for loading the run's modules through tsx (half a second here):
// a start-up cost, measured by bench/cold-start.ts, not a cycle's. A check-only run loads them.
// Exit 10: check-only, updates available (posix exit codes).
await once('warm-up', ['--check-only'], 10);
const fast = await once('start at once', []);
const perCycle = report('start at once', fast);
process.stdout.write(`target: <= 250 ms/cycle → ${perCycle <= 250 ? 'met' : 'NOT met'}\n`);
if (!SKIP_DELAYED) {
  const slow = await once('--start-delay 1m', ['--start-delay', '1m']);
  report('--start-delay 1m', slow);
  process.stdout.write(`ratio (--start-delay 1m / at once): ${(slow.wallMs / fast.wallMs).toFixed(1)}x\n`);
}
