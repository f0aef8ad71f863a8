// After run.end the client waits for the connector's ack, but never forever: without an ack in
// time it exits without rebooting (the log stays on disk).

export type AckOutcome = { kind: 'ack'; seq: number } | { kind: 'timeout' };

/** Why: races the ack against a timeout whose timer is always cleared, so the process can exit. */
export function waitForAck(
  ack: Promise<number>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<AckOutcome> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      cleanup();
      reject(signal.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => {
      cleanup();
      resolve({ kind: 'timeout' });
    }, timeoutMs);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    ack.then((seq) => {
      cleanup();
      resolve({ kind: 'ack', seq });
    }, reject);
  });
}
