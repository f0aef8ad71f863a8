// Runs the orchestration against a FakeHost with a FakeClock and collects what it emitted.
import type { ConnectorEvent } from '../../src/connector/events.ts';
import { runTarget } from '../../src/connector/orchestrator.ts';
import { renderPlain } from '../../src/connector/output/plain-output.ts';
import type { TargetAccess } from '../../src/connector/ports.ts';
import { DEFAULTS, type TargetRunOptions } from '../../src/connector/run-options.ts';
import type { TargetResult } from '../../src/connector/target-result.ts';
import { FakeClock } from './fake-clock.ts';
import { FakeHost, type HostConfig } from './fake-host.ts';

export const TOKEN = 'tok-SECRET-0123456789abcdef';

export function options(over: Partial<TargetRunOptions> = {}): TargetRunOptions {
  return {
    mode: 'install',
    restart: false,
    selection: { exclude: [], skipOptional: false },
    source: 'default',
    clientPath: 'C:\\ProgramData\\wsus-connector\\bin\\wsus-client.exe',
    maxCycles: DEFAULTS.maxCycles,
    rebootTimeoutMs: DEFAULTS.rebootTimeoutMs,
    startDelayMs: 0,
    startTimeoutMs: DEFAULTS.startTimeoutMs,
    ackTimeoutSeconds: DEFAULTS.ackTimeoutSeconds,
    leaseMs: DEFAULTS.leaseMs,
    exitCodes: 'opcon',
    holder: 'admin-box:1234',
    fingerprint: 'fp-1',
    ...over,
  };
}

export interface Run {
  result: TargetResult;
  events: ConnectorEvent[];
  output: string;
}

export function makeHost(config: HostConfig, clock = new FakeClock()): { host: FakeHost; clock: FakeClock } {
  return { host: new FakeHost(clock, config), clock };
}

export async function runOn(
  host: FakeHost,
  opts: TargetRunOptions,
  extra: {
    signal?: AbortSignal;
    onEvent?: (e: ConnectorEvent) => void;
    holderAlive?: (h: string) => boolean | undefined;
    runId?: string;
    target?: TargetAccess;
  } = {},
): Promise<Run> {
  const events: ConnectorEvent[] = [];
  const result = await runTarget({
    target: extra.target ?? host.session(),
    clock: host.clock,
    options: opts,
    sink: (e) => {
      events.push(e);
      extra.onEvent?.(e);
    },
    signal: extra.signal,
    newRunId: () => extra.runId ?? 'run1',
    newToken: () => TOKEN,
    holderAlive: extra.holderAlive,
  });
  return { result, events, output: renderPlain(events) };
}
