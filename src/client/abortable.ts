// WUA calls cannot be cancelled mid-flight, but the client must stop promptly when its host dies
// (a lab reboot fires the signal): waiting stops at once, the late result is ignored.

/** Why: resolves like `p`, or rejects with the signal's reason as soon as it is aborted. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => {});
    return Promise.reject(signal.reason ?? new Error('aborted'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Why: a timer that an abort cancels, for waits such as the ack timeout. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return abortable(
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => clearTimeout(t), { once: true });
    }),
    signal,
  );
}

/** Why: one signal that fires with whichever of two fires first (AbortSignal.any needs Node 20.3). */
export function eitherSignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  const both = new AbortController();
  for (const s of [a, b]) {
    if (s.aborted) both.abort(s.reason);
    else s.addEventListener('abort', () => both.abort(s.reason), { once: true });
  }
  return both.signal;
}
