// A lab host's client as a real child process (`lab --spawn`), for fidelity checks: exit codes,
// kills and stdio as a real install has them. The host decides the agent through the environment.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ExecIo } from './ssh/server.ts';

/** Where the child finds the host: its state, its disk (C:\), its pipes, its heartbeat period. */
export interface SpawnedClientEnv {
  hostDir: string;
  diskDir: string;
  pipeDir: string;
  heartbeatSeconds: number;
}

/** Why: the npm bin, as a real install runs it; killed with the host's power or the task's /End. */
export function spawnClient(
  args: string[],
  io: ExecIo,
  signal: AbortSignal,
  env: SpawnedClientEnv,
): Promise<number> {
  // The bundle or the sources: src/lab and dist/bundle are both two folders below the package root.
  const script = join(import.meta.dirname, '..', '..', 'bin', 'wsus-client.js');
  const child = spawn(process.execPath, [script, ...args], {
    env: {
      ...process.env,
      WSUS_LAB_HOST_DIR: env.hostDir,
      WSUS_TARGET_ROOT: env.diskDir,
      WSUS_PIPE_DIR: env.pipeDir,
      WSUS_HEARTBEAT_SECONDS: String(env.heartbeatSeconds),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  io.stdin.pipe(child.stdin);
  child.stdout.pipe(io.stdout, { end: false });
  child.stderr.pipe(io.stderr, { end: false });
  const onAbort = () => child.kill('SIGKILL');
  signal.addEventListener('abort', onAbort, { once: true });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      resolve(code ?? 1);
    });
    child.on('error', () => resolve(1));
  });
}
