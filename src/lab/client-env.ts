// The ClientEnv a lab host hands the real client for one exec or task run: C:\ is the host's
// disk folder, pipes are sockets in the host's pipe folder, the agent is the lab's WUA, and the
// host's power-off aborts it like a reboot kills a process.
import type { Readable, Writable } from 'node:stream';
import type { ClientEnv } from '../client/env.ts';
import type { SystemPort, UpdateAgent } from '../client/ports.ts';
import { mapPipePath, mapTargetPath } from '../client/process-env.ts';

export interface LabClientHostOptions {
  diskDir: string;
  pipeDir: string;
  agent: UpdateAgent;
  system: SystemPort;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  signal: AbortSignal;
  /** The client's heartbeat, shortened by the lab's timeScale like every other duration. */
  heartbeatSeconds?: number;
}

/** Why: the same clientMain runs in-process against each emulated host. */
export function labClientEnv(o: LabClientHostOptions): ClientEnv {
  const env: NodeJS.ProcessEnv = { WSUS_TARGET_ROOT: o.diskDir, WSUS_PIPE_DIR: o.pipeDir };
  if (o.heartbeatSeconds !== undefined) env.WSUS_HEARTBEAT_SECONDS = String(o.heartbeatSeconds);
  return {
    agent: () => o.agent,
    system: o.system,
    resolvePath: (p) => mapTargetPath(p, 'linux', env),
    pipePath: (name) => mapPipePath(name, 'linux', env),
    stdin: o.stdin,
    stdout: o.stdout,
    stderr: o.stderr,
    env,
    signal: o.signal,
  };
}
