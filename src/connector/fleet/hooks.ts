// Operator hooks around a server's patching (docs/usage.md "Hooks"): a command on the controller
// per phase, run through an injected HookRunner so the orchestration stays pure. Its output goes
// to the job output; a failing before-* hook stops that server before it is changed.
import { formatDuration } from '../../model/duration.ts';
import type { HookPhase, HookRunner, HookSpec } from '../../model/hook.ts';
import type { ConnectorSink } from '../events.ts';

export {
  HOOK_PHASES,
  type HookOutcome,
  type HookPhase,
  type HookRequest,
  type HookRunner,
  type HookSpec,
} from '../../model/hook.ts';

export interface HookSettings {
  hooks: readonly HookSpec[];
  timeoutMs: number;
  run: HookRunner;
}

export interface HookContext {
  server: string;
  cycle: number;
  runId: string | null;
  /** The result code so far ('' before there is one). */
  result: string;
  reportPath: string;
}

/** A failed before-* hook: the exit code (or timeout) that stopped the server. */
export interface HookFailure {
  phase: HookPhase;
  message: string;
}

/**
 * Why: runs every hook of a phase in the order given, its output as job-output lines; the first
 * that fails (non-zero, timeout, cannot start) ends the phase and is returned.
 */
export async function runHooks(
  settings: HookSettings | undefined,
  phase: HookPhase,
  ctx: HookContext,
  out: { sink: ConnectorSink; now: () => number; signal?: AbortSignal | undefined },
): Promise<HookFailure | null> {
  // An interrupted run starts no new hook: the operator asked for the run to stop.
  if (!settings || out.signal?.aborted) return null;
  const step = (level: 'info' | 'warn' | 'error', text: string) =>
    out.sink({ type: 'step', server: ctx.server, time: out.now(), level, text });
  for (const hook of settings.hooks.filter((h) => h.phase === phase)) {
    step('info', `hook ${phase}: ${hook.command}`);
    const r = await settings.run({
      command: hook.command,
      env: {
        WSUS_SERVER: ctx.server,
        WSUS_CYCLE: String(ctx.cycle),
        WSUS_PHASE: phase,
        WSUS_RUN_ID: ctx.runId ?? '',
        WSUS_RESULT: ctx.result,
        WSUS_REPORT: ctx.reportPath,
      },
      timeoutMs: settings.timeoutMs,
      signal: out.signal,
    });
    for (const line of r.lines) step('info', `hook ${phase} | ${line}`);
    const why = r.error
      ? `could not start: ${r.error}`
      : r.timedOut
        ? `timed out after ${formatDuration(settings.timeoutMs)} (--hook-timeout)`
        : r.exitCode !== 0
          ? `exited with ${r.exitCode ?? 'a signal'}`
          : null;
    if (!why) {
      step('info', `hook ${phase}: exit 0`);
      continue;
    }
    const message = `hook ${phase} "${hook.command}" ${why}`;
    step(phase.startsWith('before-') ? 'error' : 'warn', message);
    return { phase, message };
  }
  return null;
}
