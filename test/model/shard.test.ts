import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/model/input-error.ts';
import { fnv1a32, parseShard, selectShard, shardOfServer } from '../../src/model/shard.ts';

describe('shard', () => {
  it('parses K/N and refuses what is not a share', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    assert.deepEqual(parseShard(' 1 / 1 '), { index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '4', '1/0', 'a/b', '-1/4', '1/1001', '']) {
      assert.throws(() => parseShard(bad), InputError, bad);
    }
    assert.throws(() => parseShard('0/4'), /shards count from 1/);
  });

  it('FNV-1a matches the published test vectors', () => {
    // From the FNV reference test suite (isthe.com/chongo/tech/comp/fnv): "" and "a".
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
  });

  it('every server in exactly one share, the same whatever the order or the case', () => {
    const fleet = Array.from({ length: 1000 }, (_, i) => `srv${i}.corp.example`);
    const shares = [1, 2, 3, 4].map((index) => selectShard(fleet, { index, count: 4 }));
    assert.equal(shares.flat().length, fleet.length);
    assert.equal(new Set(shares.flat()).size, fleet.length);
    for (const s of shares) assert.ok(s.length > 200 && s.length < 300, `balanced: ${s.length}`);
    const reversed = [1, 2, 3, 4].map((index) => selectShard([...fleet].reverse(), { index, count: 4 }));
    assert.deepEqual(
      reversed.map((s) => [...s].sort()),
      shares.map((s) => [...s].sort()),
    );
    assert.equal(shardOfServer('SRV1.corp.example', 4), shardOfServer('srv1.corp.example', 4));
  });
});
