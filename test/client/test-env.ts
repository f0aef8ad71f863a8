// A ClientEnv for in-process tests: PassThrough stdio, C:\ mapped to a temp folder, pipes in a
// temp folder, the fake agent and system, and an abort controller standing for "the host died".
import { PassThrough } from 'node:stream';
import type { ClientEnv } from '../../src/client/env.ts';
import type { SystemPort, UpdateAgent } from '../../src/client/ports.ts';
import { mapPipePath, mapTargetPath } from '../../src/client/process-env.ts';

export interface TestHost {
  host: ClientEnv;
  stdin: PassThrough;
  stdout: PassThrough;
  out(): string;
  err(): string;
  abort: AbortController;
  agentSpecs: unknown[];
}

export function makeTestHost(opts: {
  root: string;
  pipeDir: string;
  agent?: UpdateAgent;
  system: SystemPort;
}): TestHost {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let outText = '';
  let errText = '';
  stdout.on('data', (c: Buffer) => {
    outText += c.toString('utf8');
  });
  stderr.on('data', (c: Buffer) => {
    errText += c.toString('utf8');
  });
  const abort = new AbortController();
  const env = { WSUS_TARGET_ROOT: opts.root, WSUS_PIPE_DIR: opts.pipeDir };
  const agentSpecs: unknown[] = [];
  const host: ClientEnv = {
    agent(spec) {
      agentSpecs.push(spec);
      if (!opts.agent) throw new Error('no agent in this test host');
      return opts.agent;
    },
    system: opts.system,
    resolvePath: (p) => mapTargetPath(p, 'linux', env),
    pipePath: (name) => mapPipePath(name, 'linux', env),
    stdin,
    stdout,
    stderr,
    env,
    signal: abort.signal,
  };
  return { host, stdin, stdout, out: () => outText, err: () => errText, abort, agentSpecs };
}

/** Polls `cond` every 10 ms, failing after `ms` (every wait in these tests is bounded). */
export async function waitFor(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
