// A written ack is not a delivered ack: the channel may have died on the way. The client logs
// ack.received when it gets one, so the connector reads the cycle's log until it sees it, and
// sends the ack again over a fresh pipe connection meanwhile (docs/protocol.md).
import type { Job } from '../../protocol/job.ts';
import { parseLogFile } from '../../protocol/log-file.ts';
import { ack, readRunLog } from '../../protocol/pipe-client.ts';
import { cyclePaths } from '../paths.ts';
import type { RunContext } from '../run-context.ts';
import { settleWithin } from '../signals.ts';

/** How long the connector keeps confirming one ack, and how often it re-sends it. */
export const ACK_CONFIRM = { maxMs: 60_000, resendMs: 3_000, pollMs: 250 } as const;

export type AckOutcome = 'confirmed' | 'refused' | 'host-gone' | 'unconfirmed';

/** Why: whether the server's transport port still accepts connections (a rebooting one stops). */
async function portOpen(ctx: RunContext): Promise<boolean> {
  return (await ctx.target.probe().catch(() => ({ transport: false }))).transport;
}

/**
 * Why: the cycle's log, without retrying into a reboot. A server that stopped answering with its
 * SSH port closed has begun the reboot the ack allowed, and the reboot wait takes over at once
 * (docs/scale.md#speed-ups-the-code-keeps). With the port still open it is a dropped connection, or a server on its way down (its listener
 * closes a moment later): one new connection decides, then the port again, then a retried read.
 */
export async function readLog(ctx: RunContext, path: string): Promise<Buffer | null | 'host-gone'> {
  try {
    return await ctx.target.readFile(path, { once: true });
  } catch {}
  if (!(await portOpen(ctx))) return 'host-gone';
  try {
    await ctx.target.connect();
    return await ctx.target.readFile(path, { once: true });
  } catch {}
  if (!(await portOpen(ctx))) return 'host-gone';
  return ctx.target.readFile(path).catch(() => 'host-gone' as const);
}

/** Why: the client's own log says whether the ack arrived; nothing else does. */
async function logSays(ctx: RunContext, job: Job): Promise<AckOutcome | null> {
  const buf = await readLog(ctx, cyclePaths(job.runId, job.cycle).log);
  if (buf === 'host-gone') return buf;
  if (!buf) return null;
  const after = parseLogFile(buf.toString('utf8')).after;
  if (after.some((e) => e.kind === 'ack.received')) return 'confirmed';
  if (after.some((e) => e.kind === 'ack.timeout')) return 'refused';
  return null;
}

/** Why: one more ack over a new pipe connection; failures are retried by the caller's loop. */
async function resend(ctx: RunContext, job: Job, seq: number, gate: AbortSignal): Promise<void> {
  const stream = await ctx.target.openPipe(job.pipe, ctx.options.clientPath);
  const drop = () => stream.destroy();
  gate.addEventListener('abort', drop, { once: true });
  try {
    const end = await readRunLog(stream, { token: job.token, from: seq, signal: ctx.deps.signal });
    await ack(stream, end.seq);
  } finally {
    gate.removeEventListener('abort', drop);
    stream.end();
  }
}

/** Why: waits (bounded) until the client's log shows the ack, re-sending it every few seconds. */
export async function confirmAck(ctx: RunContext, job: Job, seq: number): Promise<AckOutcome> {
  const { clock } = ctx;
  const deadline = clock.now() + Math.min(ACK_CONFIRM.maxMs, job.ackTimeoutSeconds * 1000);
  let nextResend = clock.now() + ACK_CONFIRM.resendMs;
  while (clock.now() < deadline) {
    const said = await logSays(ctx, job);
    if (said) return said;
    if (clock.now() >= nextResend) {
      ctx.print('info', 'the client has not logged the acknowledgement yet; sending it again');
      // Bounded: a relay that opens and then stays silent must not hold the confirmation loop.
      const gate = new AbortController();
      await settleWithin(
        clock,
        resend(ctx, job, seq, gate.signal).catch(() => {}),
        ACK_CONFIRM.resendMs,
        ctx.deps.signal,
      );
      gate.abort();
      nextResend = clock.now() + ACK_CONFIRM.resendMs;
    }
    await clock.sleep(ACK_CONFIRM.pollMs, ctx.deps.signal);
  }
  return (await logSays(ctx, job)) ?? 'unconfirmed';
}
