// A promise shared by concurrent callers until it fails (ssh-target.ts's shell and code-page probes).

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
