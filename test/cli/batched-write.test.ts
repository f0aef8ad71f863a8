import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { batchedWrite } from '../../src/cli/batched-write.ts';

describe('batched job output', () => {
  it('sends the lines of a window as one write, in order', async () => {
    const writes: string[] = [];
    const out = batchedWrite((t) => writes.push(t), 30);
    out.write('a\n');
    await sleep(5);
    out.write('b\n');
    out.write('c\n');
    assert.deepEqual(writes, [], 'nothing before the window ends');
    await sleep(60);
    assert.deepEqual(writes, ['a\nb\nc\n']);
    out.write('d\n');
    await sleep(60);
    assert.deepEqual(writes, ['a\nb\nc\n', 'd\n']);
  });

  it('sends at once past the size bound, and on flush, leaving no timer behind', async () => {
    const writes: string[] = [];
    const out = batchedWrite((t) => writes.push(t), 10_000, 10);
    out.write('12345');
    out.write('67890');
    assert.deepEqual(writes, ['1234567890']);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    out.write('x');
    assert.equal(timers(), before + 1);
    out.flush();
    assert.deepEqual(writes, ['1234567890', 'x']);
    assert.equal(timers(), before);
    out.flush();
    assert.equal(writes.length, 2, 'an empty flush writes nothing');
  });
});
