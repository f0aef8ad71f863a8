import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { type LabHostState, ownState, readState, statePath, writeState } from '../../../src/lab/wua/state.ts';

it('state read back from memory still sees a file another process replaced or rewrote', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsus-state-'));
  try {
    const s = { name: 'h1', bootCount: 1 } as unknown as LabHostState;
    await writeState(dir, s);
    assert.equal((await readState(dir)).bootCount, 1);
    // Another process: its own temp file, renamed over ours.
    const tmp = `${statePath(dir)}.other`;
    writeFileSync(tmp, JSON.stringify({ name: 'h1', bootCount: 2 }));
    renameSync(tmp, statePath(dir));
    assert.equal((await readState(dir)).bootCount, 2);
    // A rewrite in place, same size.
    writeFileSync(statePath(dir), JSON.stringify({ name: 'h1', bootCount: 3 }));
    assert.equal((await readState(dir)).bootCount, 3);
    // Each read is a fresh object: a caller's changes never leak into the next read.
    const mine = await readState(dir);
    mine.bootCount = 99;
    assert.equal((await readState(dir)).bootCount, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a state this process owns is read from the text it wrote, with no call to the disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsus-state-'));
  try {
    ownState(dir);
    await writeState(dir, { name: 'h1', bootCount: 1 } as unknown as LabHostState);
    // Gone from the disk: a read that asked the disk (stat or read) would throw ENOENT.
    rmSync(statePath(dir));
    assert.equal((await readState(dir)).bootCount, 1);
    // Still a fresh object per read.
    const mine = await readState(dir);
    mine.bootCount = 99;
    assert.equal((await readState(dir)).bootCount, 1);
    // A folder whose state this process never wrote or read is read from the disk.
    const other = mkdtempSync(join(tmpdir(), 'wsus-state-'));
    try {
      ownState(other);
      await assert.rejects(readState(other), { code: 'ENOENT' });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
