// `wsus-connector lab --workers N` with N > 1 (docs/lab.md#worker-processes): this process makes
// the lab's shared key and share file, forks N workers of the same bin (each runs a share of the
// hosts), writes the one inventory once all are ready, forwards their event lines, and stops them
// all on SIGINT/SIGTERM or when one of them fails. Every wait is bounded.
import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { prepareLabShared } from '../lab/index.ts';
import type { InventoryEntry } from '../lab/inventory-writer.ts';
import { writeInventory } from '../lab/inventory-writer.ts';
import type { SupervisorMessage, WorkerMessage } from './lab-worker.ts';

export interface RunLabSupervisorOptions {
  scenarioPath: string;
  inventoryPath: string;
  workers: number;
  hostCount: number;
  timeScale?: number | undefined;
  spawn?: boolean;
  signal: AbortSignal;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  /** The bin the workers run; the one this process runs unless a test says otherwise. */
  entry?: string;
}

/** How long a stopping worker gets before it is killed. */
const STOP_BOUND_MS = 30_000;
const STDERR_TAIL = 10;

interface Worker {
  label: string;
  child: ChildProcess;
  exited: Promise<void>;
  entries: { index: number; entry: InventoryEntry }[] | null;
  stderrTail: string[];
}

/** Why: a wait that gives up: true when the promise settled within ms. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why: the same bin, node flags and environment, so bundle or sources behave alike in every worker. */
function startWorker(
  k: number,
  o: RunLabSupervisorOptions,
  fail: (why: string) => void,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Worker {
  const args = [
    'lab',
    '--scenario',
    o.scenarioPath,
    '--inventory',
    o.inventoryPath,
    '--part',
    `${k}/${o.workers}`,
  ];
  if (o.timeScale !== undefined) args.push('--time-scale', String(o.timeScale));
  if (o.spawn) args.push('--spawn');
  const child = fork(o.entry ?? process.argv[1] ?? '', args, {
    execArgv: process.execArgv,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const w: Worker = {
    label: `worker ${k}/${o.workers}`,
    child,
    exited: Promise.resolve(),
    entries: null,
    stderrTail: [],
  };
  const named = () => `${w.label}${child.pid ? ` (pid ${child.pid})` : ''}`;
  w.exited = new Promise<void>((r) => {
    child.once('exit', (code, signal) => {
      // Its last stderr lines may still be in the pipe: wait for it to close, briefly.
      const report = () => {
        clearTimeout(late);
        const tail = w.stderrTail.length ? `: ${w.stderrTail.join(' | ')}` : '';
        fail(`${named()} exited (${signal ?? `code ${code}`})${tail}`);
        r();
      };
      const late = setTimeout(report, 1000);
      child.once('close', report);
    });
    child.once('error', (e) => {
      fail(`${named()} could not be started: ${e.message}`);
      if (child.pid === undefined) r();
    });
  });
  // Whole lines only: a worker's output never splits another's line.
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (l) => out.write(`${l}\n`));
  if (child.stderr)
    createInterface({ input: child.stderr }).on('line', (l) => {
      err.write(`${l}\n`);
      w.stderrTail.push(l);
      if (w.stderrTail.length > STDERR_TAIL) w.stderrTail.shift();
    });
  child.on('message', (m: WorkerMessage) => {
    if (m.type === 'event') out.write(`${m.line}\n`);
    else if (m.type === 'ready') w.entries = m.entries;
    else if (m.type === 'error') fail(`${named()} failed to start its hosts: ${m.message}`);
  });
  return w;
}

/** Why: each worker stops its hosts as a one-process lab does; one that does not is killed. */
async function stopAll(workers: Worker[], err: NodeJS.WritableStream): Promise<void> {
  const alive = (w: Worker) =>
    w.child.exitCode === null && w.child.signalCode === null && w.child.pid !== undefined;
  for (const w of workers.filter(alive)) {
    if (w.child.connected) w.child.send({ type: 'stop' } satisfies SupervisorMessage, () => {});
    else w.child.kill('SIGTERM');
  }
  if (await within(Promise.all(workers.map((w) => w.exited)), STOP_BOUND_MS)) return;
  for (const w of workers.filter(alive)) {
    err.write(`wsus-connector lab: ${w.label} did not stop within ${STOP_BOUND_MS / 1000} s; killing it\n`);
    w.child.kill('SIGKILL');
  }
  await within(Promise.all(workers.map((w) => w.exited)), 5000);
}

/** Why: the `lab` command spread over worker processes; prints what a one-process lab prints. */
export async function runLabSupervisor(o: RunLabSupervisorOptions): Promise<number> {
  const out = o.out ?? process.stdout;
  const err = o.err ?? process.stderr;
  const dir = `${resolve(o.inventoryPath)}.lab`;
  await prepareLabShared(dir);

  let stopping = false;
  let failure: (why: string) => void = () => {};
  const failed = new Promise<string>((r) => {
    failure = r;
  });
  const fail = (why: string) => {
    if (!stopping) failure(why);
  };
  const aborted = new Promise<void>((r) =>
    o.signal.aborted ? r() : o.signal.addEventListener('abort', () => r(), { once: true }),
  );
  const workers = Array.from({ length: o.workers }, (_, i) => startWorker(i + 1, o, fail, out, err));
  const allReady = new Promise<void>((r) => {
    const check = () => workers.every((w) => w.entries) && r();
    for (const w of workers) w.child.on('message', check);
  });
  // Far above a worker's start (a host takes milliseconds): a bound, not a goal.
  const startBoundMs = 120_000 + Math.ceil(o.hostCount / o.workers) * 200;
  let timer: NodeJS.Timeout | undefined;
  const tooSlow = new Promise<string>((r) => {
    timer = setTimeout(
      () => r(`the workers did not all start within ${Math.round(startBoundMs / 1000)} s`),
      startBoundMs,
    );
  });

  const give = async (why: string) => {
    stopping = true;
    err.write(`wsus-connector lab: ${why}; stopping the other workers\n`);
    await stopAll(workers, err);
    return 1;
  };
  const started = await Promise.race([
    allReady.then(() => 'ready' as const),
    aborted.then(() => 'abort' as const),
    failed,
    tooSlow,
  ]);
  clearTimeout(timer);
  if (started === 'abort') {
    stopping = true;
    out.write('Stopping the lab (host folders are kept).\n');
    await stopAll(workers, err);
    return 0;
  }
  if (started !== 'ready') return give(started);

  const entries = workers.flatMap((w) => w.entries ?? []).sort((a, b) => a.index - b.index);
  await writeInventory(
    o.inventoryPath,
    entries.map((e) => e.entry),
  );
  for (const { entry: h } of entries) out.write(`${h.name.padEnd(20)} ssh on 127.0.0.1:${h.port}\n`);
  out.write(`Inventory: ${resolve(o.inventoryPath)}\nHost folders: ${dir}\nPress Ctrl+C to stop.\n`);

  const end = await Promise.race([aborted.then(() => 'abort' as const), failed]);
  if (end !== 'abort') return give(end);
  stopping = true;
  out.write('Stopping the lab (host folders are kept).\n');
  await stopAll(workers, err);
  return 0;
}
