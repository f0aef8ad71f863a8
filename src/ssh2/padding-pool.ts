// Random bytes for ssh2's packet padding and key-exchange cookies, drawn from Node's CSPRNG a
// block at a time. ssh2 asks for a few bytes per packet, and each randomFillSync call costs a few
// microseconds of bookkeeping: at a thousand servers that was a tenth of the connector's and the
// lab's CPU. OpenSSH fills its padding the same way, from a buffered CSPRNG (arc4random_buf).
// Every byte is served once (docs/scale.md).
import type { randomFillSync } from 'node:crypto';

type RandomFill = typeof randomFillSync;

/** Bytes drawn per refill; requests above a quarter of it go straight to the CSPRNG. */
export const POOL_BYTES = 4096;

/** Why: a randomFillSync with the same contract, served from blocks of `fill`'s output. */
export function pooledRandomFill(fill: RandomFill): RandomFill {
  const direct = fill as (buf: unknown, offset?: number, size?: number) => unknown;
  const pool = Buffer.alloc(POOL_BYTES);
  let used = POOL_BYTES;
  const pooled = (buf: unknown, offset = 0, size?: number) => {
    if (!ArrayBuffer.isView(buf)) return direct(buf, offset, size);
    const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const n = size ?? view.length - offset;
    const valid = Number.isInteger(offset) && Number.isInteger(n) && offset >= 0 && n >= 0;
    // Out-of-range arguments and large requests go to Node's own function (and its errors).
    if (!valid || offset + n > view.length || n > POOL_BYTES / 4) return direct(buf, offset, size);
    if (used + n > POOL_BYTES) {
      fill(pool);
      used = 0;
    }
    pool.copy(view, offset, used, used + n);
    // Served bytes are wiped so that no copy of them stays in memory.
    pool.fill(0, used, used + n);
    used += n;
    return buf;
  };
  return pooled as RandomFill;
}
