// One probe of a target's session facts (shell, code page, the session client copy) shared by
// every caller of a run, for the ssh and winrm transports alike.

/** Why: one probe per target, shared by concurrent callers; a failed one is tried again next time. */
export function sharedUntilFailed<T>(make: () => Promise<T>): () => Promise<T> {
  let shared: Promise<T> | null = null;
  return () => {
    if (!shared) {
      const p = make();
      shared = p;
      p.catch(() => {
        if (shared === p) shared = null;
      });
    }
    return shared;
  };
}
