// The patch night inside one target's run (docs/usage.md "Maintenance window", "Hooks"): no new
// cycle and no new reboot after the deadline, and the before-reboot / after-reboot hooks. The
// reboot is the client's, right after the connector's ack of run.end, so a reboot is vetoed by
// not acknowledging and ending the task: the client then never reboots (docs/protocol.md "Ack
// timeout") and the host stays as the cycle left it, reboot pending.
import { runHooks } from './fleet/hooks.ts';
import { TASK_NAME } from './paths.ts';
import type { RunContext } from './run-context.ts';

/** Why: the maintenance window is over (a check, not a wait). */
export function pastDeadline(ctx: RunContext): boolean {
  const d = ctx.deps.deadline;
  return d !== undefined && ctx.clock.now() >= d.ms;
}

/** Why: records what the deadline kept from starting; the report then says "deadline", never silence. */
export function stopForDeadline(ctx: RunContext, stopped: string): void {
  const d = ctx.deps.deadline;
  if (!d) return;
  ctx.deadlineStop = { at: new Date(d.ms).toISOString(), stopped };
  ctx.step('warn', `${d.flag} has passed: ${stopped} not started; the server is not fully patched`);
}

function hookContext(ctx: RunContext, cycle: number, result: string) {
  return { server: ctx.server, cycle, runId: ctx.runId, result, reportPath: ctx.deps.reportPath ?? '' };
}

function out(ctx: RunContext) {
  return { sink: ctx.deps.sink, now: () => ctx.clock.now(), signal: ctx.deps.signal };
}

/**
 * Why: asked right before the ack that lets the client reboot. A deadline that has passed or a
 * failing before-reboot hook vetoes the reboot; returns true when the reboot may go ahead.
 */
export async function mayReboot(ctx: RunContext, cycle: number): Promise<boolean> {
  if (pastDeadline(ctx)) {
    stopForDeadline(ctx, `the reboot after cycle ${cycle}`);
    return false;
  }
  const failed = await runHooks(ctx.deps.hooks, 'before-reboot', hookContext(ctx, cycle, 'reboot'), out(ctx));
  if (failed) {
    ctx.hookFailure = `${failed.message}; the server was not rebooted (a reboot is pending)`;
    return false;
  }
  return true;
}

/** Why: the client waits for an ack that will not come; ending the task ends it without a reboot. */
export async function withholdReboot(ctx: RunContext): Promise<void> {
  await ctx.target.endTask(TASK_NAME).catch((err) => {
    ctx.step('warn', `could not end the task ${TASK_NAME}: ${(err as Error).message}`);
  });
  ctx.step('info', 'run.end not acknowledged and the task ended: the client does not reboot the server');
}

/** Why: the after-reboot hooks (a health check); a failure is a warning, the reboot has happened. */
export async function afterReboot(ctx: RunContext, cycle: number): Promise<void> {
  const failed = await runHooks(
    ctx.deps.hooks,
    'after-reboot',
    hookContext(ctx, cycle, 'rebooted'),
    out(ctx),
  );
  if (failed) ctx.notes.push(failed.message);
}
