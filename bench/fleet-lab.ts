// Shared by the fleet bench and the CI fleet test: a generated fleet scenario (each host offered
// one cumulative update that needs a reboot and one that does not) and the child processes of a
// lab and a connector run, sampled from /proc for peak RSS (VmHWM) and CPU seconds.
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
  /** Peak resident set size in bytes (VmHWM), last sample before exit. */
  peakRss: number;
  /** User + system CPU seconds of the process and its reaped children, last sample. */
  cpuSeconds: number;
}

const TICK = 100; // USER_HZ on Linux

/** Why: /proc is the only place a parent can read a child's peak RSS without wrapping it. */
function sample(pid: number, into: ProcStats): void {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    if (hwm) into.peakRss = Math.max(into.peakRss, Number(hwm[1]) * 1024);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14-17 of proc(5) (utime, stime, cutime, cstime) are at 11-14 after the comm field.
    const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    into.cpuSeconds = Math.max(into.cpuSeconds, ticks / TICK);
  } catch {
    // The process has exited; the last sample stands.
  }
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
export function watch(args: string[], cwd: string, onLine?: (line: string) => void): Watched {
  // FLEET_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles lab and connector:
  // node refuses --cpu-prof in NODE_OPTIONS.
  const nodeArgs = (process.env.FLEET_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  const timer = setInterval(() => child.pid && sample(child.pid, stats), 200);
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

export const MB = 1024 * 1024;
