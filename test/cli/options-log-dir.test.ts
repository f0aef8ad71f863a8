import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveLogDir } from '../../src/cli/options-log-dir.ts';
import { logFileName, openServerLogs } from '../../src/cli/server-log-files.ts';
import { InputError } from '../../src/model/input-error.ts';

describe('--log-dir', () => {
  it('is the folder given, else beside the report with several servers, else a temp folder', () => {
    assert.deepEqual(resolveLogDir({ logDir: 'logs' }, '/work', 1), { path: '/work/logs' });
    assert.deepEqual(resolveLogDir({ report: 'out/night.json' }, '/work', 2), {
      path: '/work/out/night-logs',
    });
    assert.deepEqual(resolveLogDir({}, '/work', 30), { temp: true });
    assert.equal(resolveLogDir({ report: 'one.json' }, '/work', 1), undefined);
  });

  it('refuses a file as the folder, naming the flag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsus-logdir-'));
    try {
      writeFileSync(join(dir, 'f'), '');
      assert.throws(
        () => resolveLogDir({ logDir: 'f' }, dir, 2),
        (e: unknown) => e instanceof InputError && /--log-dir f: exists and is not a folder/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes each server to its own file, in order, all of it by close()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsus-logdir-'));
    try {
      const logs = openServerLogs({ path: join(dir, 'logs') });
      for (let i = 0; i < 100; i++) logs.write(i % 2 ? 'a' : 'b/c', `line ${i}\n`);
      await logs.close();
      assert.equal(logFileName('b/c'), 'b_c.log');
      const a = readFileSync(logs.pathOf('a'), 'utf8').trim().split('\n');
      assert.equal(a.length, 50);
      assert.equal(a[49], 'line 99');
      assert.equal(readFileSync(join(dir, 'logs', 'b_c.log'), 'utf8').split('\n')[0], 'line 0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
