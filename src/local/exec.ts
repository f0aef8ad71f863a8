// The one door to child_process for the Windows adapters. Commands run without a shell, with
// stdin fed from `input` (or nothing) and then closed, so a schtasks Y/N prompt reads end-of-file
// instead of hanging, and bounded by a timeout. Tests inject their own ExecFn and check every argv
// built, without Windows.
import { spawn } from 'node:child_process';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** null when the process was killed (timeout) or could not start. */
  exitCode: number | null;
  /** Set when the command could not be started or timed out. */
  error?: string;
}

export interface ExecOptions {
  timeoutMs?: number;
  /** Written to the child's stdin, which is then closed (secrets go here, never in argv). */
  input?: string;
}

export type ExecFn = (file: string, args: string[], opts?: ExecOptions) => Promise<ExecResult>;

const MAX_OUTPUT = 4 * 1024 * 1024;

/** Why: the real ExecFn; never rejects, so callers classify every outcome in one place. */
export function createExec(): ExecFn {
  return (file, args, opts = {}) =>
    new Promise((resolve) => {
      const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
      // Ended at once: a prompt reads end-of-file. A child that exits before reading all of the
      // input must not crash the connector (EPIPE).
      child.stdin.on('error', () => {});
      child.stdin.end(opts.input ?? '');
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let size = 0;
      let error: string | undefined;
      const collect = (into: Buffer[]) => (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_OUTPUT) into.push(chunk);
      };
      child.stdout.on('data', collect(out));
      child.stderr.on('data', collect(err));
      const timer = opts.timeoutMs
        ? setTimeout(() => {
            error = `timed out after ${describeMs(opts.timeoutMs ?? 0)}`;
            child.kill();
          }, opts.timeoutMs)
        : null;
      child.once('error', (e) => {
        error ??= e.message;
      });
      child.once('close', (code) => {
        if (timer) clearTimeout(timer);
        resolve({
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          exitCode: error ? null : code,
          ...(error ? { error } : {}),
        });
      });
    });
}

/** Why: a sub-second bound (tests, tight probes) must not read as "0s". */
function describeMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Math.round(ms / 1000)}s`;
}
