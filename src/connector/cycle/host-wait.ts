// Waiting for the server across a reboot (docs/architecture.md#the-cycle step 6): down (transport fails),
// then back (transport answers AND `wsus-client status` works), with a boot time different from before,
// and no servicing in progress — all within --reboot-timeout. A ping reply alone proves nothing.
import { sameBootTime } from '../../model/boot-time.ts';
import { formatDuration } from '../../model/duration.ts';
import { Backoff, paceByElapsed } from '../backoff.ts';
import { ConnectorFailure } from '../errors.ts';
import { type ClientStatus, TargetError } from '../ports.ts';
import { POLL } from '../run-options.ts';
import type { TargetWatch } from './target-watch.ts';

export type RebootPhase = 'down' | 'up' | 'ready';

export interface RebootResult {
  bootTimeAfter: string;
  /** From the start of the wait until the server was ready for the next cycle. */
  elapsedMs: number;
  sawDown: boolean;
  /** The status that showed the new boot with servicing done. */
  status: ClientStatus;
}

// Exact comparison (no tolerance): a quick reboot must never look like the same boot.
export { sameBootTime };

async function statusOrNull(w: TargetWatch, reconnect: boolean): Promise<ClientStatus | null> {
  try {
    if (reconnect) {
      await w.target.close().catch(() => {});
      await w.target.connect();
    }
    return await w.target.clientStatus(w.clientPath);
  } catch (err) {
    // Not "still booting": a different host key after the reboot is someone else, refused at once.
    if (err instanceof TargetError && err.kind === 'host-key') throw err;
    return null;
  }
}

/** Why: the whole down → up → boot changed → serviced sequence, or a reboot-timeout failure. */
export async function waitForReboot(
  w: TargetWatch,
  bootTimeBefore: string,
  timeoutMs: number,
  onPhase: (phase: RebootPhase, elapsedMs: number, bootTime?: string) => void,
): Promise<RebootResult> {
  const { clock, target } = w;
  const start = clock.now();
  const deadline = start + timeoutMs;
  let sawDown = false;
  let needReconnect = false;
  let upAt: number | null = null;
  let lastBoot = bootTimeBefore;
  for (;;) {
    w.signal?.throwIfAborted();
    const probe = await target.probe().catch(() => ({ transport: false }));
    if (!probe.transport) {
      if (!sawDown) {
        sawDown = true;
        onPhase('down', clock.now() - start);
      }
      needReconnect = true;
    } else {
      const status = await statusOrNull(w, needReconnect);
      if (status === null) {
        needReconnect = true;
      } else {
        needReconnect = false;
        if (!sameBootTime(status.bootTime, bootTimeBefore)) {
          lastBoot = status.bootTime;
          if (upAt === null) {
            upAt = clock.now();
            if (!sawDown) onPhase('down', upAt - start);
            onPhase('up', upAt - start, status.bootTime);
          }
          if (!status.servicingInProgress) {
            const elapsedMs = clock.now() - start;
            onPhase('ready', elapsedMs, status.bootTime);
            return { bootTimeAfter: status.bootTime, elapsedMs, sawDown, status };
          }
        }
      }
    }
    if (clock.now() >= deadline) {
      const state =
        upAt !== null
          ? `it came back (boot time ${lastBoot}) but was still servicing updates`
          : sawDown
            ? 'it went down and did not come back'
            : 'it never went down (the boot time did not change)';
      throw new ConnectorFailure(
        'reboot-timeout',
        `the server did not finish rebooting within ${formatDuration(timeoutMs)}: ${state}`,
      );
    }
    const pace = paceByElapsed(clock.now() - start, POLL.minMs, POLL.rebootMaxMs);
    await clock.sleep(Math.min(pace, Math.max(1, deadline - clock.now())), w.signal);
  }
}

/** Why: before a cycle, waits until CBS is no longer servicing (it may still be after a reboot). */
export async function waitUntilServiced(
  w: TargetWatch,
  first: ClientStatus,
  timeoutMs: number,
  onWait: () => void,
): Promise<ClientStatus> {
  let status = first;
  if (!status.servicingInProgress) return status;
  onWait();
  const deadline = w.clock.now() + timeoutMs;
  const backoff = new Backoff(POLL.minMs, POLL.rebootMaxMs);
  while (status.servicingInProgress) {
    if (w.clock.now() >= deadline) {
      throw new ConnectorFailure(
        'reboot-timeout',
        `servicing (CBS) was still in progress after ${formatDuration(timeoutMs)}; no install was started`,
      );
    }
    await w.clock.sleep(backoff.next(), w.signal);
    status = await w.target.clientStatus(w.clientPath);
  }
  return status;
}
