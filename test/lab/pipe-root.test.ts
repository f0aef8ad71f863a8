import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MEMORY_DIRS, pipeRootBase } from '../../src/lab/pipe-root.ts';

describe('pipeRootBase', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsus-piperoot-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the first candidate that is a writable folder', () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    mkdirSync(a);
    mkdirSync(b);
    assert.equal(pipeRootBase([a, b], '/fallback'), a);
  });

  it('skips a missing candidate and a file, and falls back when none is usable', () => {
    const file = join(dir, 'file');
    writeFileSync(file, '');
    const b = join(dir, 'b');
    mkdirSync(b);
    assert.equal(pipeRootBase([join(dir, 'missing'), file, b], '/fallback'), b);
    assert.equal(pipeRootBase([join(dir, 'missing'), file], '/fallback'), '/fallback');
  });

  it('uses the memory file system by default where the machine has one', () => {
    const expected = MEMORY_DIRS.find((d) => existsSync(d)) ?? tmpdir();
    assert.equal(pipeRootBase(), expected);
  });
});
