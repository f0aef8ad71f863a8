// Shared by the fleet bench and the CI fleet test: a generated fleet scenario (each host offered
// one cumulative update that needs a reboot and one that does not) and the child processes of a
// lab and a connector run, sampled from /proc for peak RSS (VmHWM) and CPU seconds over each
// process's whole tree (a lab with --workers runs its hosts in child processes).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const CONNECTOR_BIN = join(ROOT, 'bin', 'wsus-connector.js');

/** Why: the operator's fleet case: one reboot cycle, then a verifying cycle, on every host. */
export function fleetScenario(n: number, timeScale: number, prefix = 'fleet') {
  const width = String(n).length;
  return {
    timeScale,
    hosts: Array.from({ length: n }, (_, i) => ({
      name: `${prefix}${String(i + 1).padStart(width, '0')}`,
      rebootSeconds: 60,
      catalog: ['cu', 'defs'],
    })),
    catalog: [
      {
        id: 'cu',
        updateId: '5c1a0b2e-0000-4000-8000-000000000001',
        kb: 'KB5044281',
        title: '2024-10 Cumulative Update for Microsoft server operating system (KB5044281)',
        classification: 'Security Updates',
        severity: 'Critical',
        sizeMB: 600,
        downloadSeconds: 30,
        installSeconds: 120,
        reboot: 'always',
      },
      {
        id: 'defs',
        updateId: '5c1a0b2e-0000-4000-8000-000000000002',
        kb: 'KB2267602',
        title: 'Security Intelligence Update for Microsoft Defender Antivirus (KB2267602)',
        classification: 'Definition Updates',
        sizeMB: 50,
        downloadSeconds: 5,
        installSeconds: 10,
        reboot: 'never',
      },
    ],
  };
}

export interface ProcStats {
  /** Peak resident set size in bytes (VmHWM), summed over the process and its descendants. */
  peakRss: number;
  /** User + system CPU seconds of the process and all its descendants (reaped or not), last sample. */
  cpuSeconds: number;
}

const TICK = 100; // USER_HZ on Linux

interface ProcSample {
  hwm: number;
  /** utime + stime + cutime + cstime: the process and its reaped children. */
  ticks: number;
}

/** Why: /proc is the only place a parent can read a child's peak RSS without wrapping it. */
export function readProc(pid: number): ProcSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14-17 of proc(5) (utime, stime, cutime, cstime) are at 11-14 after the comm field.
    const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    return { hwm: hwm ? Number(hwm[1]) * 1024 : 0, ticks };
  } catch {
    return null; // The process has exited.
  }
}

/** Why: a lab with worker processes is a tree; its cost is the whole tree's, not the supervisor's. */
function descendants(pid: number): number[] {
  let kids: number[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // Gone, or no children file.
  }
  return kids.flatMap((k) => [k, ...descendants(k)]);
}

/** Why: a live descendant's CPU is not yet in its parent's cutime; a reaped one's is, so only live ones add. */
function sampleTree(pid: number, peaks: Map<number, number>, into: ProcStats): void {
  const root = readProc(pid);
  if (!root) return;
  peaks.set(pid, Math.max(peaks.get(pid) ?? 0, root.hwm));
  let ticks = root.ticks;
  for (const d of descendants(pid)) {
    const s = readProc(d);
    if (!s) continue;
    peaks.set(d, Math.max(peaks.get(d) ?? 0, s.hwm));
    ticks += s.ticks;
  }
  into.peakRss = Math.max(
    into.peakRss,
    [...peaks.values()].reduce((a, b) => a + b, 0),
  );
  into.cpuSeconds = Math.max(into.cpuSeconds, ticks / TICK);
}

export interface Watched {
  child: ChildProcess;
  stats: ProcStats;
  /** Everything the child wrote on stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
  stopSampling(): void;
}

/** Why: a child process with its output kept and its /proc figures sampled every 200 ms. */
export function watch(args: string[], cwd: string, onLine?: (line: string) => void, tty = false): Watched {
  // FLEET_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles lab and connector:
  // node refuses --cpu-prof in NODE_OPTIONS.
  const nodeArgs = (process.env.FLEET_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const argv = [process.execPath, ...nodeArgs, ...args];
  // On a terminal (util-linux `script` gives the child a pty of 200x60) the connector draws its
  // fleet grid, so the bench measures the run an operator watches.
  const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const [cmd, cmdArgs] = tty
    ? ['script', ['-qfec', `stty rows 60 cols 200; exec ${quoted}`, '/dev/null']]
    : [argv[0] as string, argv.slice(1)];
  const child = spawn(cmd, cmdArgs, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const stats: ProcStats = { peakRss: 0, cpuSeconds: 0 };
  const chunks: string[] = [];
  let partial = '';
  const take = (c: Buffer) => {
    const s = c.toString('utf8');
    chunks.push(s);
    if (!onLine) return;
    const lines = (partial + s).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) onLine(l);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const peaks = new Map<number, number>();
  const timer = setInterval(() => child.pid && sampleTree(child.pid, peaks, stats), 200);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve(code);
    }),
  );
  return {
    child,
    stats,
    output: () => chunks.join(''),
    exited,
    stopSampling: () => clearInterval(timer),
  };
}

/** Why: a lab is ready once it prints this line; one that exits or stays silent ends the bench. */
export async function waitFor(w: Watched, text: string, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!w.output().includes(text)) {
    if (w.child.exitCode !== null) throw new Error(`the lab exited early:\n${w.output()}`);
    if (Date.now() - t0 > ms) throw new Error(`the lab did not start in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const MB = 1024 * 1024;
