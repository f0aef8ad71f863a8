import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSizeMB } from '../../src/model/size.ts';

describe('parseSizeMB', () => {
  it('reads MB, GB and TB in binary units', () => {
    assert.equal(parseSizeMB('500MB'), 500);
    assert.equal(parseSizeMB('2GB'), 2048);
    assert.equal(parseSizeMB('1.5gb'), 1536);
    assert.equal(parseSizeMB('1TB'), 1024 * 1024);
  });
  it('names the flag on bad input', () => {
    assert.throws(() => parseSizeMB('lots', '--min-free-disk'), /"lots" is not a size/);
    assert.throws(() => parseSizeMB('0GB', '--min-free-disk'), /more than 0MB/);
  });
});
