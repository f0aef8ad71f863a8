// The job output of a fleet run to a pipe or file: a thousand servers print tens of thousands of
// lines, and one write call per line was a tenth of the connector's CPU (docs/scale.md). Lines
// written in one turn of the event loop go out as one write, in order, before the next turn.

export interface BatchedWrite {
  write(text: string): void;
  /** Writes what is pending now (before anything else is written to the same stream). */
  flush(): void;
}

/** Why: coalesces the many small writes of one event-loop turn into one, keeping their order. */
export function batchedWrite(sink: (text: string) => void): BatchedWrite {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    sink(text);
  };
  return {
    write(text) {
      pending.push(text);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
