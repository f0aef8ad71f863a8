import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readLog } from '../../../src/connector/cycle/ack-confirm.ts';
import { TargetError } from '../../../src/connector/ports.ts';
import type { RunContext } from '../../../src/connector/run-context.ts';

/** A target whose reads answer from a script, recording how each was asked for. */
function ctxWith(reads: (Buffer | Error)[], ports: boolean[]) {
  const calls: string[] = [];
  const target = {
    async connect() {
      calls.push('connect');
    },
    async readFile(_path: string, opts?: { once?: boolean }) {
      calls.push(opts?.once ? 'read once' : 'read');
      const next = reads.shift();
      if (next instanceof Error) throw next;
      return next ?? null;
    },
    async probe() {
      calls.push('probe');
      return { transport: ports.shift() ?? false };
    },
  };
  return { ctx: { target } as unknown as RunContext, calls };
}

const dropped = () => new TargetError('unreachable', 'srv: connection closed');

describe('reading the log after the ack', () => {
  it('a server whose SSH port closed is rebooting: no read retried into the reboot', async () => {
    const { ctx, calls } = ctxWith([dropped()], [false]);
    assert.equal(await readLog(ctx, 'log.jsonl'), 'host-gone');
    assert.deepEqual(calls, ['read once', 'probe']);
  });

  it('a dropped connection to a server still listening is read again on a new one', async () => {
    const { ctx, calls } = ctxWith([dropped(), Buffer.from('log')], [true]);
    assert.equal(String(await readLog(ctx, 'log.jsonl')), 'log');
    assert.deepEqual(calls, ['read once', 'probe', 'connect', 'read once']);
  });

  it('a server whose listener closes a moment after the drop is rebooting too', async () => {
    const { ctx, calls } = ctxWith([dropped(), dropped()], [true, false]);
    assert.equal(await readLog(ctx, 'log.jsonl'), 'host-gone');
    assert.deepEqual(calls, ['read once', 'probe', 'connect', 'read once', 'probe']);
  });

  it('with the port open all along, the read is retried within the bound, then the server is gone', async () => {
    const ok = ctxWith([dropped(), dropped(), Buffer.from('log')], [true, true]);
    assert.equal(String(await readLog(ok.ctx, 'log.jsonl')), 'log');
    assert.deepEqual(ok.calls.slice(-1), ['read']);
    const gone = ctxWith([dropped(), dropped(), dropped()], [true, true]);
    assert.equal(await readLog(gone.ctx, 'log.jsonl'), 'host-gone');
  });

  it('a read that works asks nothing else', async () => {
    const { ctx, calls } = ctxWith([Buffer.from('log')], [true]);
    assert.equal(String(await readLog(ctx, 'log.jsonl')), 'log');
    assert.deepEqual(calls, ['read once']);
  });
});
