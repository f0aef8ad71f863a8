// `wsus-connector` as a function of argv and an io bundle (never process.exit), so the entry
// point, `npm start` and tests share it. Usage errors are reported before any target is touched:
// a message on stderr, `Result code: -2` on stdout, exit 2 (posix) or -2 (opcon).
import { resolve as resolvePath } from 'node:path';
import type { Writable } from 'node:stream';
import { CommanderError } from 'commander';
import type { RunCommandDeps } from '../connector/fleet/execute-plan.ts';
import { codesAfterReports, saveReports } from '../connector/fleet/save-reports.ts';
import type { Clock } from '../connector/ports.ts';
import type { RunPlan } from '../connector/run-plan.ts';
import { createHookRunner } from '../local/hook-runner.ts';
import { writeOutputFile } from '../local/output-file.ts';
import { createWebhookPoster, type WebhookOptions } from '../local/webhook.ts';
import { InputError } from '../model/input-error.ts';
import {
  classicResultCode,
  defaultExitScheme,
  type ExitScheme,
  exitCodeFor,
  failureOutcome,
} from '../model/result-codes.ts';
import { batchedWrite } from './batched-write.ts';
import { currentHolder, holderAlive } from './holder.ts';
import { type InventoryHostInfo, inventoryFiles } from './inventory-hosts.ts';
import { buildProgram, type RawLabOptions, type RawRunOptions } from './options.ts';
import type { ResolveEnv } from './options-resolve.ts';
import type { TargetFactory } from './target-factory.ts';

/** Why: what only `run` needs, loaded on use so `--version`, `--help` and usage errors start fast. */
const runModules = () =>
  Promise.all([
    import('./options-resolve.ts'),
    import('./target-factory.ts'),
    import('../connector/fleet/execute-plan.ts'),
    import('../connector/clock.ts'),
    import('../model/report.ts'),
  ]).then(([o, t, e, c, r]) => ({ ...o, ...t, ...e, ...c, ...r }));

export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  cwd: string;
  signal?: AbortSignal | undefined;
  /** Overrides (tests, `npm start`): inventory listing for validation, adapters, clock. */
  loadInventoryHosts?: ResolveEnv['loadInventoryHosts'];
  createTargets?: ((plan: RunPlan) => Promise<TargetFactory>) | undefined;
  clock?: Clock | undefined;
  /** Webhook retry pacing (tests shorten it). */
  webhook?: WebhookOptions | undefined;
  /** The `lab` subcommand; absent in the shipped Windows executable, which carries no lab code. */
  lab?: LabRunner | undefined;
}

export type LabRunner = (raw: RawLabOptions, io: CliIo) => Promise<number>;

/** Why: the io of the real process (the bin and `npm start` share it). */
export function processIo(signal: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    platform: process.platform,
    cwd: process.cwd(),
    signal,
  };
}

/** The exit scheme asked for on the command line, even when the rest of it is unusable. */
function schemeFromArgv(argv: string[], platform: NodeJS.Platform): ExitScheme {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = a === '--exit-codes' ? argv[i + 1] : a.startsWith('--exit-codes=') ? a.slice(13) : undefined;
    if (v === 'opcon' || v === 'posix') return v;
  }
  return defaultExitScheme(platform);
}

async function defaultInventoryHosts(path: string): Promise<Map<string, InventoryHostInfo>> {
  const { listInventoryHosts } = await import('./inventory-hosts.ts');
  return listInventoryHosts(path);
}

/** Why: the whole CLI; resolves to the process exit code. */
export async function connectorMain(argv: string[], io: CliIo): Promise<number> {
  const scheme = schemeFromArgv(argv, io.platform);
  let exitCode: number | null = null;
  let rawRun: RawRunOptions | null = null;

  const usage = async (message: string): Promise<number> => {
    io.stderr.write(`wsus-connector: ${message}\n`);
    const outcome = failureOutcome('install', 'usage');
    await writeUsageReport(rawRun, io, message, scheme).catch(() => {});
    io.stdout.write(`Result code: ${classicResultCode(outcome)}\n`);
    return exitCodeFor(outcome, scheme);
  };

  const program = buildProgram(
    {
      run: async (raw) => {
        rawRun = raw;
        exitCode = await runFleet(raw, io);
      },
      assess: async (raw) => {
        rawRun = raw;
        const { assessReports } = await import('./assess-command.ts');
        const clock = io.clock ?? (await runModules()).systemClock;
        exitCode = await runFleet({ ...raw, checkOnly: true }, io, assessReports(raw, io.cwd, clock));
      },
      preflight: async (raw) => {
        const { plan, clock } = await resolvePlan(raw, io);
        const makeTarget = await targetsFor(plan, io);
        const { runPreflight } = await import('./preflight-command.ts');
        exitCode = await runPreflight(plan, makeTarget, clock, (t) => io.stdout.write(t), writeOutputFile);
      },
      mergeReports: async (files, raw) => {
        const { runMergeReports } = await import('./merge-reports-command.ts');
        exitCode = await runMergeReports(files, raw, io);
      },
      lab: async (raw: RawLabOptions) => {
        if (!io.lab)
          throw new InputError('this build of wsus-connector has no lab; use the npm package', 'lab');
        exitCode = await io.lab(raw, io);
      },
    },
    {
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    },
  );

  if (argv.length === 0) {
    io.stderr.write(program.helpInformation());
    return usage('a command is required: run, assess, merge-reports or lab');
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      // commander already printed its message; add the result line and the usage exit code.
      const outcome = failureOutcome('install', 'usage');
      io.stdout.write(`Result code: ${classicResultCode(outcome)}\n`);
      return exitCodeFor(outcome, scheme);
    }
    if (err instanceof InputError) return usage(err.message);
    throw err;
  }
  return exitCode ?? 0;
}

/** Why: run, assess and preflight resolve and check their flags with the same code. */
async function resolvePlan(raw: RawRunOptions, io: CliIo) {
  const { resolveRunPlan, systemClock } = await runModules();
  const clock = io.clock ?? systemClock;
  const plan = await resolveRunPlan(raw, {
    platform: io.platform,
    cwd: io.cwd,
    nowMs: clock.now(),
    loadInventoryHosts: io.loadInventoryHosts ?? defaultInventoryHosts,
  });
  return { plan, clock };
}

/** Why: a test's targets, or the plan's transport adapter. */
async function targetsFor(plan: RunPlan, io: CliIo) {
  if (io.createTargets) return io.createTargets(plan);
  return (await runModules()).createTargetFactory(plan, io.env);
}

/** Why: `run` and `assess` share the whole run: plan, targets, fleet, reports; resolves to the exit code. */
async function runFleet(
  raw: RawRunOptions,
  io: CliIo,
  moreReports?: RunCommandDeps['moreReports'],
): Promise<number> {
  const { executeRunPlan } = await runModules();
  const { plan, clock } = await resolvePlan(raw, io);
  if (plan.shard && plan.servers.length === 0) return emptyShard(plan, io);
  const makeTarget = await targetsFor(plan, io);
  // A terminal shows progress bars on the same stream: its lines go out one by one.
  const out = io.stdout.isTTY ? null : batchedWrite((text) => io.stdout.write(text));
  const { openServerLogs } = await import('./server-log-files.ts');
  const logs = plan.logDir ? openServerLogs(plan.logDir) : undefined;
  const result = await executeRunPlan(plan, {
    logs,
    makeTarget,
    clock,
    write: out ? out.write : (text) => io.stdout.write(text),
    tty: io.stdout.isTTY ? (io.stdout as NodeJS.WriteStream) : undefined,
    writeReport: writeOutputFile,
    holder: currentHolder(),
    holderAlive,
    signal: io.signal,
    runHook: createHookRunner(io.env),
    postWebhook: createWebhookPoster(io.webhook),
    moreReports,
  }).finally(async () => {
    out?.flush();
    await logs?.close();
  });
  return result.exitCode;
}

/** A small fleet leaves some shards empty: nothing to do is a success, with an empty report. */
async function emptyShard(plan: RunPlan, io: CliIo): Promise<number> {
  const { serializeReport } = await runModules();
  const s = plan.shard;
  if (s)
    io.stdout.write(`shard ${s.index}/${s.count}: none of the ${s.fleetSize} servers is in this share\n`);
  const unwritten = await saveReports({ writeReport: writeOutputFile }, [
    [plan.reportPath, () => serializeReport([], true)],
  ]);
  const { ending, ...codes } = codesAfterReports(unwritten, { resultCode: 0, exitCode: 0 }, plan.exitCodes);
  if (ending) io.stdout.write(`${ending}\n`);
  io.stdout.write(`Result code: ${codes.resultCode}\n`);
  return codes.exitCode;
}

async function writeUsageReport(raw: RawRunOptions | null, io: CliIo, message: string, scheme: ExitScheme) {
  if (!raw?.report) return;
  const path = resolvePath(io.cwd, raw.report);
  const { usageReportSafe } = await import('./options-files.ts');
  const load = io.loadInventoryHosts ?? defaultInventoryHosts;
  if (!(await usageReportSafe(raw, io.cwd, async (p) => inventoryFiles(await load(p))))) return;
  const [{ serializeReport }, { untouchedReport }] = await Promise.all([
    import('../model/report.ts'),
    import('../model/untouched-report.ts'),
  ]);
  const outcome = failureOutcome(raw.checkOnly || raw.mode === 'check' ? 'check' : 'install', 'usage');
  const servers = raw.server.length ? raw.server : ['(none)'];
  const now = new Date();
  const reports = servers.map((server) =>
    untouchedReport(server, outcome, scheme, { kind: 'usage', message }, now),
  );
  await writeOutputFile(path, serializeReport(reports, servers.length > 1));
}
