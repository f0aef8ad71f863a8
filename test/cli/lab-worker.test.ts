// A lab worker whose hosts cannot start (here: no key from a supervisor) says why over its IPC
// channel and exits non-zero, so the supervisor can name it; it never generates a key of its own.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CONNECTOR_BIN } from '../../bench/fleet-lab.ts';
import type { WorkerMessage } from '../../src/cli/lab-worker.ts';

describe('lab worker (--part)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsus-labworker-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a start failure over IPC and exits 1', { timeout: 60_000 }, async () => {
    writeFileSync(join(dir, 'sc.json'), JSON.stringify({ hosts: [{ name: 'a' }, { name: 'b' }] }));
    const child = fork(
      CONNECTOR_BIN,
      ['lab', '--scenario', 'sc.json', '--inventory', 'inv.json', '--part', '1/2'],
      { cwd: dir, execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
    );
    const messages: WorkerMessage[] = [];
    child.on('message', (m: WorkerMessage) => messages.push(m));
    const code = await Promise.race([
      new Promise<number | null>((r) => child.once('exit', (c) => r(c))),
      new Promise<'late'>((r) => setTimeout(() => r('late'), 45_000)),
    ]);
    if (code === 'late') child.kill('SIGKILL');
    assert.equal(code, 1);
    const error = messages.find((m) => m.type === 'error');
    assert.match(error?.type === 'error' ? error.message : '', /id_ed25519/);
    assert.equal(
      messages.some((m) => m.type === 'ready'),
      false,
    );
    assert.equal(existsSync(join(dir, 'inv.json')), false, 'a worker writes no inventory');
  });
});
