// bench/cold-start: what a scheduler pays to start the connector once per server. Alternates
// `wsus-connector --version` (the bin on its prebuilt bundle), `node -e 0` (the floor) and the
// same bin on the TypeScript sources through tsx (WSUS_FROM_SOURCE=1, the development path), and
// prints the medians and their ratios to the floor. Goal: both bundles at most 1.5x `node -e 0`.
//   node --import tsx bench/cold-start.ts [--runs 11]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 11;

if (!existsSync(join(ROOT, 'dist', 'bundle', 'wsus-connector.mjs'))) {
  process.stderr.write('cold-start: no bundle; run `npm run build` first\n');
  process.exit(1);
}

const commands = {
  'node -e 0': { argv: ['-e', '0'], env: {} },
  'wsus-connector --version (bundle)': {
    argv: [join(ROOT, 'bin', 'wsus-connector.js'), '--version'],
    env: {},
  },
  'wsus-client --version (bundle)': { argv: [join(ROOT, 'bin', 'wsus-client.js'), '--version'], env: {} },
  'wsus-connector --version (tsx)': {
    argv: [join(ROOT, 'bin', 'wsus-connector.js'), '--version'],
    env: { WSUS_FROM_SOURCE: '1' },
  },
} as const;
type Name = keyof typeof commands;

const times = new Map<Name, number[]>(Object.keys(commands).map((k) => [k as Name, []]));
for (let i = 0; i < RUNS; i++) {
  // Alternating, so a burst of load on the shared machine hits every command alike.
  for (const [name, c] of Object.entries(commands) as [Name, (typeof commands)[Name]][]) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, c.argv, { env: { ...process.env, ...c.env }, encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
    times.get(name)?.push(ms);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const floor = median(times.get('node -e 0') ?? []);
process.stdout.write(`cold-start: median of ${RUNS}, alternating, node ${process.version}\n`);
for (const [name, xs] of times) {
  const m = median(xs);
  process.stdout.write(
    `${name.padEnd(36)} ${m.toFixed(0).padStart(5)} ms   ${(m / floor).toFixed(2)}x node -e 0\n`,
  );
}
// Both bins share the goal: the client starts on every target once per cycle and for every
// status and relay call, the connector once per server.
for (const bin of ['wsus-connector', 'wsus-client'] as const) {
  const ratio = median(times.get(`${bin} --version (bundle)`) ?? []) / floor;
  process.stdout.write(
    `goal: ${bin} --version <= 1.5x node -e 0 → ${ratio <= 1.5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)\n`,
  );
}
