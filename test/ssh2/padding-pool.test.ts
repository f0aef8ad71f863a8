import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { POOL_BYTES, pooledRandomFill } from '../../src/ssh2/padding-pool.ts';

/** A stand-in CSPRNG that writes 1, 2, 3... (mod 256) and counts its calls. */
function counting() {
  let next = 1;
  const calls: number[] = [];
  const fill = ((buf: Buffer, offset = 0, size = buf.length - offset) => {
    calls.push(size);
    for (let i = offset; i < offset + size; i++) buf[i] = next++ % 256;
    return buf;
  }) as unknown as typeof randomFillSync;
  return { fill, calls };
}

describe('pooled random bytes for ssh2 padding', () => {
  it('fills exactly the range asked for, each source byte served once and in order', () => {
    const src = counting();
    const pooled = pooledRandomFill(src.fill);
    const a = Buffer.alloc(20);
    const b = Buffer.alloc(20);
    pooled(a, 5, 10);
    pooled(b, 0, 7);
    assert.deepEqual([...a.subarray(0, 5)], [0, 0, 0, 0, 0], 'before the range: untouched');
    assert.deepEqual([...a.subarray(5, 15)], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual([...a.subarray(15)], [0, 0, 0, 0, 0], 'after the range: untouched');
    assert.deepEqual([...b.subarray(0, 7)], [11, 12, 13, 14, 15, 16, 17]);
  });

  it('draws from the source a block at a time, not once per call', () => {
    const src = counting();
    const pooled = pooledRandomFill(src.fill);
    const packet = Buffer.alloc(64);
    for (let i = 0; i < 1000; i++) pooled(packet, 40, 14);
    // A block serves as many whole 14-byte requests as it holds; the next one draws a new block.
    assert.equal(src.calls.length, Math.ceil(1000 / Math.floor(POOL_BYTES / 14)));
    assert.ok(src.calls.every((n) => n === POOL_BYTES));
  });

  it('passes large requests, defaults and bad arguments to the source (and its errors)', () => {
    const src = counting();
    const pooled = pooledRandomFill(src.fill);
    pooled(Buffer.alloc(POOL_BYTES), 0, POOL_BYTES);
    assert.deepEqual(src.calls, [POOL_BYTES], 'a large request goes straight through');
    const whole = Buffer.alloc(8);
    pooled(whole);
    assert.ok(
      whole.some((x) => x !== 0),
      'offset and size default to the whole buffer',
    );
    const real = pooledRandomFill(randomFillSync);
    assert.throws(() => real(Buffer.alloc(4), 2, 8), { code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => real(Buffer.alloc(4), -1, 1), { code: 'ERR_OUT_OF_RANGE' });
  });

  it('fills typed arrays other than Buffer through their bytes', () => {
    const src = counting();
    const pooled = pooledRandomFill(src.fill);
    const u16 = new Uint16Array(4);
    pooled(u16, 2, 2);
    assert.deepEqual([...new Uint8Array(u16.buffer)], [0, 0, 1, 2, 0, 0, 0, 0]);
  });
});
