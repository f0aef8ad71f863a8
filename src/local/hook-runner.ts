// The HookRunner adapter: an operator's hook command through the controller's shell (cmd.exe on
// Windows, /bin/sh elsewhere, via child_process's shell option), with the WSUS_* variables added
// to the environment, stdin closed, output kept line by line and a hard timeout.
import { spawn } from 'node:child_process';
import type { HookOutcome, HookRunner } from '../model/hook.ts';

const MAX_LINES = 500;

/** Why: the real hook runner; never rejects, so the orchestration classifies every outcome. */
export function createHookRunner(baseEnv: NodeJS.ProcessEnv = process.env): HookRunner {
  return (req) =>
    new Promise<HookOutcome>((resolve) => {
      const lines: string[] = [];
      let partial = '';
      let timedOut = false;
      let error: string | undefined;
      const child = spawn(req.command, {
        shell: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...baseEnv, ...req.env },
        windowsHide: true,
        // Its own process group, so a timeout ends the shell's children too.
        detached: process.platform !== 'win32',
      });
      const take = (chunk: Buffer) => {
        partial += chunk.toString('utf8');
        const parts = partial.split(/\r?\n/);
        partial = parts.pop() ?? '';
        for (const p of parts) if (lines.length < MAX_LINES) lines.push(p);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      const kill = () => {
        try {
          if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
          else child.kill();
        } catch {
          child.kill();
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, req.timeoutMs);
      const onAbort = () => kill();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      if (req.signal?.aborted) kill();
      child.once('error', (e) => {
        error ??= e.message;
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        if (partial && lines.length < MAX_LINES) lines.push(partial);
        resolve({ exitCode: timedOut || error ? null : code, lines, timedOut, error });
      });
    });
}
