// Deadlines for ssh2 requests. ssh2's callbacks may never fire when the connection dies
// mid-request, so every request gets a deadline (docs/usage.md "Bounds and retries"); the retry of
// an idempotent step after a drop is src/remote-common/retry.ts.
import { TargetError } from '../connector/ports.ts';

/** The bounds of the ssh transport; tests shrink them. */
export interface SshLimits {
  /** The SSH handshake, host key and authentication. */
  connectMs: number;
  /** One SFTP request (open, write, read, close, mkdir, remove), before the size allowance. */
  requestMs: number;
  /** One command (schtasks, wsus-client status) from exec request to exit. */
  execMs: number;
  /** How long an idempotent step keeps reconnecting after a dropped connection. */
  retryWindowMs: number;
  /** How long the first connection waits for a host that refuses (e.g. still rebooting). */
  connectWaitMs: number;
}

export const DEFAULT_SSH_LIMITS: SshLimits = {
  connectMs: 30_000,
  requestMs: 60_000,
  execMs: 120_000,
  retryWindowMs: 30_000,
  connectWaitMs: 180_000,
};

/** What a request runs on: its 'close' ends every request still waiting on it. */
export interface Closable {
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/**
 * Why: settles with the request's callback, or with an 'unreachable' TargetError after `ms`
 * (then `onTimeout` runs so the caller can drop the connection the request is stuck on), or at
 * once when `conn` closes: ssh2 can drop a request's callback when its connection dies, and a
 * server that reboots mid-request must not hold the step for the whole deadline. A synchronous
 * throw from `start` is the same kind of failure.
 */
export function withDeadline<T>(
  what: string,
  ms: number,
  start: (settle: (err: Error | null, value?: T) => void) => void,
  onTimeout: () => void,
  conn?: Closable,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      conn?.off('close', onClose);
      onTimeout();
      reject(new TargetError('unreachable', `${what} got no answer in ${Math.round(ms / 100) / 10} s`));
    }, ms);
    const settle = (err: Error | null, value?: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      conn?.off('close', onClose);
      if (err) reject(err);
      else resolve(value as T);
    };
    // Deferred a turn: a callback that ssh2 fires while closing the connection comes first.
    const onClose = () =>
      setImmediate(() =>
        settle(new TargetError('unreachable', `${what}: the connection closed before an answer`)),
      );
    conn?.once('close', onClose);
    try {
      start(settle);
    } catch (err) {
      // ssh2 throws "Not connected" synchronously when the socket died before 'close' fired.
      if (done) return;
      onTimeout();
      settle(
        err instanceof TargetError
          ? err
          : new TargetError('unreachable', `${what}: ${(err as Error).message}`),
      );
    }
  });
}
