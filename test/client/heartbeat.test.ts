import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventSink } from '../../src/client/activity-log.ts';
import { HEARTBEAT_MS, heartbeatMsFromEnv, withHeartbeat } from '../../src/client/heartbeat.ts';

describe('heartbeat', () => {
  it('emits while the call runs, with the latest percent, and stops when it settles', async () => {
    const lines: string[] = [];
    const log = {
      emit: (_l: string, _k: string, message: string) => {
        lines.push(message);
        return {} as never;
      },
    } as unknown as EventSink;
    let percent: number | null = null;
    const op = new Promise<string>((resolve) => {
      setTimeout(() => {
        percent = 40;
      }, 30);
      setTimeout(() => resolve('done'), 200);
    });
    const r = await withHeartbeat(op, {
      log,
      phase: 'install',
      what: 'KB1',
      intervalMs: 50,
      percent: () => percent,
    });
    assert.equal(r, 'done');
    assert.ok(lines.length >= 2 && lines.length <= 5, lines.join('\n'));
    assert.match(lines.at(-1) ?? '', /^still installing KB1: 40% \(/);
    const count = lines.length;
    await new Promise((res) => setTimeout(res, 120));
    assert.equal(lines.length, count, 'no heartbeat after the call settled');
  });
  it('stops on abort even when the abandoned call never settles', async () => {
    let n = 0;
    const counting = {
      emit: () => {
        n += 1;
        return {} as never;
      },
    } as unknown as EventSink;
    const ac = new AbortController();
    void withHeartbeat(new Promise<never>(() => {}), {
      log: counting,
      phase: 'download',
      what: 'KB2',
      intervalMs: 20,
      percent: () => null,
      signal: ac.signal,
    });
    await new Promise((res) => setTimeout(res, 70));
    ac.abort();
    const at = n;
    assert.ok(at >= 1);
    await new Promise((res) => setTimeout(res, 70));
    assert.equal(n, at);
  });
  it('interval from the environment, bounded to a minute', () => {
    assert.equal(heartbeatMsFromEnv({}), HEARTBEAT_MS);
    assert.equal(heartbeatMsFromEnv({ WSUS_HEARTBEAT_SECONDS: '0.5' }), 500);
    assert.equal(heartbeatMsFromEnv({ WSUS_HEARTBEAT_SECONDS: '600' }), HEARTBEAT_MS);
    assert.equal(heartbeatMsFromEnv({ WSUS_HEARTBEAT_SECONDS: 'x' }), HEARTBEAT_MS);
  });
});
