// bench/fleet-scale: the fleet case. A lab of N generated hosts (each offered one cumulative
// update that needs a reboot and one that does not) runs in its own process; the connector
// patches them all with --parallel N in another, then the same for one host alone. Printed side
// by side from this one run: wall time and its ratio to one host, connector and lab peak RSS,
// CPU seconds, and the result codes counted from the report.
//   node --import tsx bench/fleet-scale.ts [--hosts 1000] [--time-scale 0.1] [--lab-workers N|auto] [--grid]
//     [--transport ssh|winrm]
// The lab's figures cover all its processes (with --workers, the supervisor and its workers).
// Goals (README "Scale"): every host 110, wall <= 1.5x one host, connector RSS <= 300 MB.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTOR_BIN, fleetScenario, MB, ROOT, type Watched, waitFor, watch } from './fleet-lab.ts';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const HOSTS = arg('--hosts', 1000);
const TRANSPORT = args.includes('--transport') ? (args[args.indexOf('--transport') + 1] ?? '') : 'ssh';
if (TRANSPORT !== 'ssh' && TRANSPORT !== 'winrm')
  throw new Error(`--transport: ssh or winrm, not ${TRANSPORT}`);
const TIME_SCALE = arg('--time-scale', 0.1);
/** Far beyond the expected minute: a bound, not a goal. */
const RUN_BOUND_MS = arg('--bound-minutes', 15) * 60_000;
/** The lab's --workers (default: the lab's own default, auto). */
const LAB_WORKERS = args.includes('--lab-workers') ? args[args.indexOf('--lab-workers') + 1] : undefined;
/**
 * Where the run folders go (the lab's host folders among them): memory (/dev/shm) where the
 * machine has it, FLEET_DIR to choose. Each emulated host rewrites its state files by rename,
 * and on ext4 every such replacement waits for its data on the lab's one thread: an emulation
 * cost that a real fleet spreads over its servers' own disks (docs/scale.md).
 */
const RUN_ROOT = process.env.FLEET_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
/** Keep the run folder (scenario, inventory, report, run.log, lab.log) for a post-mortem. */
const KEEP = args.includes('--keep');
// --grid: the connector runs on a terminal and draws its fleet grid (docs/usage.md "The fleet grid").
const GRID = args.includes('--grid');

interface Measured {
  hosts: number;
  wallMs: number;
  exit: number | null;
  connector: Watched['stats'];
  lab: Watched['stats'];
  codes: Map<number, number>;
  missing: string[];
}

async function once(n: number): Promise<Measured> {
  const dir = await mkdtemp(join(RUN_ROOT, 'wsus-fleet-'));
  const scenario = fleetScenario(n, TIME_SCALE);
  const names = scenario.hosts.map((h) => h.name);
  try {
    await writeFile(join(dir, 'scenario.json'), JSON.stringify(scenario));
    const lab = watch(
      [
        CONNECTOR_BIN,
        'lab',
        '--scenario',
        'scenario.json',
        '--inventory',
        'inventory.json',
        ...(LAB_WORKERS ? ['--workers', LAB_WORKERS] : []),
      ],
      dir,
    );
    try {
      await waitFor(lab, 'Press Ctrl+C to stop.', 120_000 + n * 200);
      const t0 = performance.now();
      const run = watch(
        [
          CONNECTOR_BIN,
          'run',
          '--transport',
          TRANSPORT,
          '--inventory',
          'inventory.json',
          '--restart',
          '--parallel',
          String(n),
          '--report',
          'report.json',
          '--exit-codes',
          'posix',
        ],
        dir,
        undefined,
        GRID,
      );
      const bound = setTimeout(() => {
        process.stderr.write(
          `fleet-scale: ${n} hosts still running after ${RUN_BOUND_MS / 60_000} min; SIGTERM\n`,
        );
        run.child.kill('SIGTERM');
      }, RUN_BOUND_MS);
      const exit = await run.exited;
      clearTimeout(bound);
      const wallMs = performance.now() - t0;
      const codes = new Map<number, number>();
      const seen = new Set<string>();
      try {
        const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
        for (const r of Array.isArray(report) ? report : [report]) {
          seen.add(r.server);
          codes.set(r.resultCode, (codes.get(r.resultCode) ?? 0) + 1);
        }
      } catch (err) {
        process.stderr.write(`fleet-scale: no report: ${(err as Error).message}\n`);
        process.stderr.write(run.output().slice(-4000));
      }
      if (exit !== 0)
        process.stderr.write(`fleet-scale: connector exit ${exit}\n${run.output().slice(-3000)}\n`);
      lab.child.kill('SIGTERM');
      await lab.exited;
      if (KEEP) {
        await writeFile(join(dir, 'run.log'), run.output());
        await writeFile(join(dir, 'lab.log'), lab.output());
      }
      return {
        hosts: n,
        wallMs,
        exit,
        connector: run.stats,
        lab: lab.stats,
        codes,
        missing: names.filter((x) => !seen.has(x)),
      };
    } finally {
      if (lab.child.exitCode === null) lab.child.kill('SIGKILL');
    }
  } finally {
    if (KEEP) process.stderr.write(`fleet-scale: kept ${dir}\n`);
    else await rm(dir, { recursive: true, force: true });
  }
}

function line(label: string, m: Measured): string {
  const codes = [...m.codes].map(([c, k]) => `${c}×${k}`).join(' ');
  return (
    `${label.padEnd(12)} wall ${(m.wallMs / 1000).toFixed(1).padStart(6)} s   ` +
    `connector ${(m.connector.peakRss / MB).toFixed(0).padStart(4)} MB ${m.connector.cpuSeconds.toFixed(1).padStart(6)} CPU s   ` +
    `lab ${(m.lab.peakRss / MB).toFixed(0).padStart(5)} MB ${m.lab.cpuSeconds.toFixed(1).padStart(6)} CPU s   ` +
    `codes ${codes || '(none)'}${m.missing.length ? `   MISSING ${m.missing.length}: ${m.missing.slice(0, 10).join(' ')}` : ''}\n`
  );
}

process.stdout.write(
  `fleet-scale: ${HOSTS} hosts vs 1 host over ${TRANSPORT}, time scale ${TIME_SCALE}, --parallel N, lab --workers ${LAB_WORKERS ?? 'auto'}, ${
    (await import('node:os')).cpus().length
  } CPUs, node ${process.version}, bin ${CONNECTOR_BIN.replace(`${ROOT}/`, '')}, folders in ${RUN_ROOT}${GRID ? ', connector on a 200x60 terminal (fleet grid)' : ''}\n`,
);
const one = await once(1);
process.stdout.write(line('1 host', one));
const many = await once(HOSTS);
process.stdout.write(line(`${HOSTS} hosts`, many));
// Judged on the figure printed (two decimals, rounded up), so a line never reads "1.50x ... NOT met".
const ratio = Math.ceil((many.wallMs / one.wallMs) * 100 - 1e-9) / 100;
const all110 = many.codes.get(110) === HOSTS;
const rssOk = many.connector.peakRss <= 300 * MB;
process.stdout.write(
  `ratio wall ${HOSTS}/1: ${ratio.toFixed(2)}x (goal <= 1.5x: ${ratio <= 1.5 ? 'met' : 'NOT met'})   ` +
    `every host 110: ${all110 ? 'yes' : 'NO'}   connector RSS <= 300 MB: ${rssOk ? 'met' : 'NOT met'}\n`,
);
process.exitCode = all110 && ratio <= 1.5 && rssOk ? 0 : 1;
