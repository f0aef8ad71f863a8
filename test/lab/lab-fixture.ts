// Builds lab hosts for tests: a scenario written to a temp folder, a host folder initialised from
// it, and one client cycle run in-process through the real client over the lab agent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { clientMain } from '../../src/client/main.ts';
import { labClientParts } from '../../src/lab/client-parts.ts';
import { initHostState } from '../../src/lab/host-state.ts';
import { type CatalogEntry, parseScenario, type Scenario } from '../../src/lab/scenario.ts';
import type { RunEnd } from '../../src/protocol/messages.ts';
import { ack, readRunLog } from '../../src/protocol/pipe-client.ts';
import { baseJob, TOKEN, writeJob } from '../client/job-fixture.ts';
import { makeTestHost, waitFor } from '../client/test-env.ts';

let n = 0;
/** A catalog entry with every default filled in by the real schema. */
export function entry(over: Partial<CatalogEntry> & { id: string }): Record<string, unknown> {
  n += 1;
  const hex = n.toString(16).padStart(12, '0');
  return {
    updateId: `7a0c1b2d-0000-4000-8000-${hex}`,
    kb: `KB${5040000 + n}`,
    title: `Update ${over.id}`,
    classification: 'Security Updates',
    sizeMB: 1,
    downloadSeconds: 1,
    installSeconds: 1,
    ...over,
  };
}

/** Parses a one-host scenario through the real schema (so defaults are the real ones). */
export function oneHostScenario(
  catalog: Record<string, unknown>[],
  host: Record<string, unknown> = {},
): Scenario {
  return parseScenario(
    JSON.stringify({
      timeScale: 0.001,
      hosts: [{ name: 'lab01', catalog: catalog.map((c) => c.id), ...host }],
      catalog,
    }),
    'test-scenario',
  );
}

export async function initHost(hostDir: string, sc: Scenario, now = Date.now()): Promise<void> {
  const host = sc.hosts[0];
  if (!host) throw new Error('no host');
  await initHostState(hostDir, { host, catalog: sc.catalog, timeScale: sc.timeScale }, now);
}

/** One client run (job → pipe → run.end → ack) on a lab host; returns run.end and reboot requests. */
export async function runCycle(
  hostDir: string,
  runDir: string,
  jobOver: Record<string, unknown> = {},
): Promise<{ end: RunEnd; exit: number; reboots: string[]; kinds: string[] }> {
  const root = join(hostDir, 'disk');
  const pipeDir = join(hostDir, 'p');
  const reboots: string[] = [];
  const parts = await labClientParts(hostDir, { requestReboot: (c) => reboots.push(c) });
  const job = baseJob({ runId: 'lab-run', ...jobOver });
  const runner = makeTestHost({ root, pipeDir, agent: parts.agent, system: parts.system });
  const run = clientMain(['run', '--job', writeJob(root, runDir, job)], runner.host);
  await waitFor(() => existsSync(join(pipeDir, job.pipe as string)), 'the pipe');
  const reader = makeTestHost({ root, pipeDir, system: parts.system });
  const relayExit = clientMain(['relay', '--pipe', job.pipe as string], reader.host);
  const stream = Duplex.from({ readable: reader.stdout, writable: reader.stdin });
  const kinds: string[] = [];
  const end = await readRunLog(stream, { token: TOKEN, onEvent: (e) => kinds.push(e.kind) });
  await ack(stream, end.seq);
  const exit = await run;
  await relayExit;
  return { end, exit, reboots, kinds };
}
