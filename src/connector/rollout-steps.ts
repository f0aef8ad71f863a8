// The rollout inside one target's run (docs/usage.md "Maintenance window", "Hooks"): no new
// cycle and no new reboot after the deadline, and the before-reboot / after-reboot hooks. The
// reboot is the client's, right after the connector's ack of run.end, so a reboot is vetoed by
// not acknowledging and ending the task: the client then never reboots (docs/protocol.md "Ack
// timeout") and the host stays as the cycle left it, reboot pending.
import type { ReportDeadline } from '../model/report.ts';
import type { Halt } from './cycle/record.ts';
import { runHooks } from './fleet/hooks.ts';
import { TASK_NAME } from './paths.ts';
import type { RunContext } from './run-context.ts';

/**
 * Why: past the window's end nothing new starts; says what it keeps from starting (the report then
 * says "deadline", never silence). Null while the window is open.
 */
export function deadlineStop(ctx: RunContext, stopped: string): ReportDeadline | null {
  const d = ctx.deps.deadline;
  if (d === undefined || ctx.clock.now() < d.ms) return null;
  ctx.print('warn', `${d.flag} has passed: ${stopped} not started; the server is not fully patched`);
  return { at: new Date(d.ms).toISOString(), stopped };
}

function hookContext(ctx: RunContext, cycle: number, result: string) {
  return { server: ctx.server, cycle, runId: ctx.runId, result, reportPath: ctx.deps.reportPath ?? '' };
}

function out(ctx: RunContext) {
  return { sink: ctx.deps.sink, now: () => ctx.clock.now(), signal: ctx.deps.signal };
}

/**
 * Why: asked right before the ack that lets the client reboot. A deadline that has passed or a
 * failing before-reboot hook vetoes the reboot and halts the run; null when the reboot may go ahead.
 */
export async function rebootVeto(ctx: RunContext, cycle: number): Promise<Halt | null> {
  const deadline = deadlineStop(ctx, `the reboot after cycle ${cycle}`);
  if (deadline) return { kind: 'deadline', deadline };
  const failed = await runHooks(ctx.deps.hooks, 'before-reboot', hookContext(ctx, cycle, 'reboot'), out(ctx));
  if (failed) {
    return { kind: 'hook', message: `${failed.message}; the server was not rebooted (a reboot is pending)` };
  }
  return null;
}

/** Why: the client waits for an ack that will not come; ending the task ends it without a reboot. */
export async function withholdReboot(ctx: RunContext): Promise<void> {
  await ctx.target.endTask(TASK_NAME).catch((err) => {
    ctx.print('warn', `could not end the task ${TASK_NAME}: ${(err as Error).message}`);
  });
  ctx.print('info', 'run.end not acknowledged and the task ended: the client does not reboot the server');
}

/** Why: the after-reboot hooks (a health check); returns a failure's message, a warning only. */
export async function runAfterRebootHooks(ctx: RunContext, cycle: number): Promise<string | undefined> {
  const failed = await runHooks(
    ctx.deps.hooks,
    'after-reboot',
    hookContext(ctx, cycle, 'rebooted'),
    out(ctx),
  );
  return failed?.message;
}
