// bench/client-rss: the client's memory on a target. A lab host in --spawn mode runs every client
// invocation (the task's `run`, the connector's `status` and `relay`) as a real process of the
// npm bin; /proc is sampled for each one's peak RSS (VmHWM) during a patch run with a reboot.
// Goal: client peak RSS <= 80 MB. The same run with WSUS_FROM_SOURCE=1 (tsx) is shown beside it.
//   node --import tsx bench/client-rss.ts
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTOR_BIN, fleetScenario, MB, watch } from './fleet-lab.ts';

interface Peak {
  command: string;
  rss: number;
}

/** Why: every child of the lab is a client process; keep each one's peak by pid. */
function sampleChildren(labPid: number, peaks: Map<number, Peak>): void {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== labPid) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${name}/status`, 'utf8'));
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (!argv[1]?.endsWith('wsus-client.js')) continue;
      const command = argv.slice(2, 3).join(' ') || '?';
      const rss = hwm ? Number(hwm[1]) * 1024 : 0;
      const prev = peaks.get(Number(name));
      if (!prev || rss > prev.rss) peaks.set(Number(name), { command, rss });
    } catch {
      // Gone between readdir and read.
    }
  }
}

async function once(env: Record<string, string>): Promise<Map<number, Peak>> {
  const dir = await mkdtemp(join(tmpdir(), 'wsus-client-rss-'));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await writeFile(join(dir, 'scenario.json'), JSON.stringify(fleetScenario(1, 0.05, 'rss')));
    const lab = watch(
      [CONNECTOR_BIN, 'lab', '--scenario', 'scenario.json', '--inventory', 'inventory.json', '--spawn'],
      dir,
    );
    const peaks = new Map<number, Peak>();
    const timer = setInterval(() => lab.child.pid && sampleChildren(lab.child.pid, peaks), 50);
    try {
      for (let i = 0; !lab.output().includes('Press Ctrl+C'); i++) {
        if (i > 600) throw new Error(`the lab did not start:\n${lab.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const run = watch(
        [CONNECTOR_BIN, 'run', '--transport', 'ssh', '--inventory', 'inventory.json', '--restart'],
        dir,
      );
      const bound = setTimeout(() => run.child.kill('SIGTERM'), 300_000);
      const code = await run.exited;
      clearTimeout(bound);
      const last = run.output().trimEnd().split('\n').at(-1);
      if (last !== 'Result code: 110') throw new Error(`the run ended with ${last} (exit ${code})`);
    } finally {
      clearInterval(timer);
      lab.child.kill('SIGTERM');
      await lab.exited;
    }
    return peaks;
  } finally {
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  }
}

function summary(label: string, peaks: Map<number, Peak>): number {
  const byCommand = new Map<string, { n: number; max: number }>();
  for (const p of peaks.values()) {
    const e = byCommand.get(p.command) ?? { n: 0, max: 0 };
    byCommand.set(p.command, { n: e.n + 1, max: Math.max(e.max, p.rss) });
  }
  const parts = [...byCommand].map(([c, e]) => `${c} ×${e.n} ${(e.max / MB).toFixed(0)} MB`);
  const max = Math.max(0, ...[...peaks.values()].map((p) => p.rss));
  process.stdout.write(
    `${label.padEnd(8)} client peak RSS ${(max / MB).toFixed(0).padStart(3)} MB   (${parts.join(', ')})\n`,
  );
  return max;
}

process.stdout.write(
  'client-rss: one lab host in --spawn mode, install + reboot, every client a real process\n',
);
const bundled = summary('bundle', await once({}));
summary('tsx', await once({ WSUS_FROM_SOURCE: '1' }));
process.stdout.write(`goal: client peak RSS <= 80 MB (bundle) → ${bundled <= 80 * MB ? 'met' : 'NOT met'}\n`);
