import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MEMORY_DIRS, makePipeRoot, pipeRootBase, sweepStalePipeRoots } from '../../src/lab/pipe-root.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Why: a pipe folder whose lab was killed outright: made by a child process, then SIGKILL. */
async function killedLabsRoot(base: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('./src/lab/pipe-root.ts').then(async (m) => { const r = await m.makePipeRoot(${JSON.stringify(base)}); console.log(r.path); setInterval(() => {}, 1000); })`,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const path = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the child made no pipe folder within 30 s')), 30_000);
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (!out.includes('\n')) return;
        clearTimeout(timer);
        resolve(out.trim());
      });
    });
    return path;
  } finally {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }
}

// One temp folder per test, for both groups below.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsus-piperoot-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('pipeRootBase', () => {
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

describe('pipe folders of labs that are gone', () => {
  it("keeps a running lab's folder and removes it when that lab stops", async () => {
    const root = await makePipeRoot(dir);
    try {
      assert.deepEqual(await sweepStalePipeRoots(dir, 0), []);
      assert.ok(existsSync(root.path));
    } finally {
      await root.close();
    }
    assert.equal(existsSync(root.path), false);
  });

  it('removes the folder of a lab killed outright, once it is old enough, and nothing else', async () => {
    const dead = await killedLabsRoot(dir);
    assert.ok(existsSync(join(dead, 'alive')), 'SIGKILL left the folder and its marker');
    const unmarked = join(dir, 'wsl-unmarked');
    mkdirSync(unmarked);
    const live = await makePipeRoot(dir);
    try {
      // Just killed: a marker this young could be a lab between bind and listen.
      assert.deepEqual(await sweepStalePipeRoots(dir), []);
      assert.deepEqual(await sweepStalePipeRoots(dir, 0), [dead]);
      assert.equal(existsSync(dead), false);
      assert.ok(existsSync(unmarked), 'a folder without a marker is not judged');
      assert.ok(existsSync(live.path), "a live lab's folder stays");
    } finally {
      await live.close();
    }
  });
});
