// The per-server logs on disk (--log-dir): one file per server, named after it. Lines gather in
// memory and are appended a few times a second, so a thousand servers hold no file open and cost
// a few writes a second, not one per line.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerLogs } from '../connector/output/job-output.ts';
import type { RunPlan } from '../connector/run-plan.ts';

const FLUSH_MS = 500;

/** Why: a file name that stays one plain name whatever the server name holds. */
export function logFileName(server: string): string {
  return `${server.replace(/[^A-Za-z0-9._-]/g, '_')}.log`;
}

export interface ServerLogFiles extends ServerLogs {
  /** Writes what is pending, after the writes in flight (the end of the run). */
  close(): Promise<void>;
}

/** Why: the folder the plan asks for (made now, a temp one if so), with its writer. */
export function openServerLogs(logDir: NonNullable<RunPlan['logDir']>): ServerLogFiles {
  const dir = 'temp' in logDir ? mkdtempSync(join(tmpdir(), 'wsus-connector-logs-')) : logDir.path;
  mkdirSync(dir, { recursive: true });
  const pending = new Map<string, string[]>();
  let writing: Promise<unknown> = Promise.resolve();
  const pathOf = (server: string) => join(dir, logFileName(server));
  const take = () => {
    const batch = [...pending];
    pending.clear();
    return batch;
  };
  // One flush at a time, in order, so a server's lines never overtake each other.
  const flush = () => {
    const batch = take();
    writing = writing.then(() =>
      Promise.all(batch.map(([s, lines]) => appendFile(pathOf(s), lines.join('')).catch(() => {}))),
    );
    return writing;
  };
  const timer = setInterval(flush, FLUSH_MS);
  timer.unref();
  return {
    dir,
    pathOf,
    write(server, text) {
      const lines = pending.get(server);
      if (lines) lines.push(text);
      else pending.set(server, [text]);
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
