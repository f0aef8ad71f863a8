// The client's activity log: structured events kept in memory for the pipe (replay + live) and
// appended, one synchronous write per event, to log.jsonl next to the job file, so a crash or a
// kill loses nothing that was already logged.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ActivityEvent, ClientMessage, RunEnd, RunSummary } from '../protocol/messages.ts';

export type EventLevel = ActivityEvent['level'];

/** What the run logic writes to; the pure run code sees only this. */
export interface EventSink {
  emit(level: EventLevel, kind: string, message: string, data?: Record<string, unknown>): ActivityEvent;
}

/** What the pipe server reads from. */
export interface LogFeed {
  /** Events before run.end, in seq order (seq = index). */
  readonly events: readonly ActivityEvent[];
  readonly runEnd: RunEnd | null;
  /** Live events and the final run.end; returns the unsubscribe function. */
  subscribe(listener: (msg: ClientMessage) => void): () => void;
}

export interface ActivityLogOptions {
  /** log.jsonl path; null keeps the log in memory only (tests), or hands lines to writeLine. */
  filePath: string | null;
  /** Without a file: receives each line exactly as it would be appended to log.jsonl. */
  writeLine?: (line: string) => void;
  now?: () => Date;
  /** Told once if the file becomes unwritable (the in-memory log goes on). */
  onFileError?: (err: Error) => void;
}

export class ActivityLog implements EventSink, LogFeed {
  private readonly list: ActivityEvent[] = [];
  private end: RunEnd | null = null;
  private nextSeq = 0;
  private fd: number | null;
  private readonly listeners = new Set<(msg: ClientMessage) => void>();
  private readonly now: () => Date;
  private readonly onFileError: ((err: Error) => void) | undefined;
  private readonly writeLine: ((line: string) => void) | undefined;

  constructor(opts: ActivityLogOptions) {
    this.now = opts.now ?? (() => new Date());
    this.onFileError = opts.onFileError;
    this.writeLine = opts.writeLine;
    // 'w': a re-run of the same job folder starts a fresh log whose seqs start at 0 again.
    this.fd = opts.filePath === null ? null : openSync(opts.filePath, 'w', 0o600);
  }

  get events(): readonly ActivityEvent[] {
    return this.list;
  }

  get runEnd(): RunEnd | null {
    return this.end;
  }

  /** Why: records one event; after run.end events go to the file only (the pipe has ended). */
  emit(level: EventLevel, kind: string, message: string, data?: Record<string, unknown>): ActivityEvent {
    const event: ActivityEvent = {
      type: 'event',
      seq: this.nextSeq++,
      time: this.now().toISOString(),
      level,
      kind,
      message,
      ...(data === undefined ? {} : { data }),
    };
    this.write(event);
    if (this.end === null) {
      this.list.push(event);
      for (const l of this.listeners) l(event);
    }
    return event;
  }

  /** Why: closes the streamed part of the log with the run's summary. */
  finish(summary: RunSummary): RunEnd {
    if (this.end) throw new Error('run.end already sent');
    const runEnd: RunEnd = { type: 'run.end', seq: this.nextSeq++, summary };
    this.write(runEnd);
    this.end = runEnd;
    for (const l of this.listeners) l(runEnd);
    return runEnd;
  }

  subscribe(listener: (msg: ClientMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Why: releases the file descriptor; the file keeps everything written so far. */
  close(): void {
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      try {
        closeSync(fd);
      } catch {
        // Already closed or gone: nothing left to protect.
      }
    }
    this.listeners.clear();
  }

  private write(msg: ClientMessage): void {
    if (this.fd === null) {
      this.writeLine?.(`${JSON.stringify(msg)}\n`);
      return;
    }
    try {
      const buf = Buffer.from(`${JSON.stringify(msg)}\n`, 'utf8');
      for (let off = 0; off < buf.length; ) off += writeSync(this.fd, buf, off);
    } catch (err) {
      const fd = this.fd;
      this.fd = null;
      try {
        closeSync(fd);
      } catch {
        // ignore
      }
      this.onFileError?.(err as Error);
    }
  }
}
