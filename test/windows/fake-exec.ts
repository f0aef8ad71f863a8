// A recording ExecFn for the Windows adapter tests: answers from a script of handlers and keeps
// every command line it was asked to run.
import type { ExecFn, ExecResult } from '../../src/local/exec.ts';

export type Handler = (file: string, args: string[]) => Partial<ExecResult> | undefined;

export function fakeExec(handler: Handler) {
  const calls: { file: string; args: string[]; input?: string }[] = [];
  const exec: ExecFn = async (file, args, opts) => {
    calls.push({ file, args, ...(opts?.input === undefined ? {} : { input: opts.input }) });
    const r = handler(file, args) ?? {};
    return {
      stdout: r.stdout ?? '',
      stderr: r.stderr ?? '',
      exitCode: r.exitCode === undefined ? 0 : r.exitCode,
      ...(r.error ? { error: r.error } : {}),
    };
  };
  return { exec, calls };
}
