// The job output of a fleet run to a pipe or file: a thousand servers print tens of thousands of
// lines, and one write call per line was a tenth of the connector's CPU; one per event-loop turn
// still cost a second of CPU a run (docs/scale.md). Lines go out together, in order, at most a
// short window after the first of them, or sooner once enough have gathered.

export interface BatchedWrite {
  write(text: string): void;
  /** Writes what is pending now (before anything else is written to the same stream). */
  flush(): void;
}

/** How long a line may wait for others: unnoticeable in a job log, a few writes a second. */
export const BATCH_WINDOW_MS = 50;
/** Past this much pending text it goes out at once (a pipe's buffer is 64 KiB). */
export const BATCH_MAX_CHARS = 32 * 1024;

/** Why: coalesces many small writes into few, keeping their order and bounding their delay. */
export function batchedWrite(
  sink: (text: string) => void,
  windowMs = BATCH_WINDOW_MS,
  maxChars = BATCH_MAX_CHARS,
): BatchedWrite {
  let pending: string[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    sink(text);
  };
  return {
    write(text) {
      pending.push(text);
      size += text.length;
      if (size >= maxChars) flush();
      // Not unref'd: a line still waiting keeps the process up until it is out.
      else timer ??= setTimeout(flush, windowMs);
    },
    flush,
  };
}
