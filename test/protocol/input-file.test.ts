// Operator input files are read safely: regular files only, a size limit, no blocking on a FIFO
// with no writer, and a long bad line is cut in the message; through the real CLI too.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { InputError } from '../../src/model/input-error.ts';
import { readInputFile } from '../../src/protocol/input-file.ts';
import { capturedIo } from '../cli/captured-io.ts';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsus-input-file-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const isInput = (re: RegExp) => (e: unknown) => e instanceof InputError && re.test(e.message);

describe('readInputFile', () => {
  it('refuses a device, a folder and a file over the limit, and reads a regular file', () => {
    assert.throws(() => readInputFile('/dev/zero', 'zero'), isInput(/not a regular file/));
    mkdirSync(join(dir, 'folder'));
    assert.throws(() => readInputFile(join(dir, 'folder'), 'f'), isInput(/is a folder/));
    writeFileSync(join(dir, 'big'), Buffer.alloc(2000, 0x41));
    assert.throws(() => readInputFile(join(dir, 'big'), 'big', 'file', 1000), isInput(/more than the limit/));
    writeFileSync(join(dir, 'ok'), 'KB1\n');
    assert.equal(readInputFile(join(dir, 'ok'), 'ok'), 'KB1\n');
    assert.throws(() => readInputFile(join(dir, 'none'), 'none', 'job file'), isInput(/job file not found/));
  });

  it('refuses a FIFO with no writer at once instead of blocking', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    assert.throws(() => readInputFile(fifo, 'fifo'), isInput(/not a regular file/));
    assert.ok(Date.now() - t0 < 2000);
  });
});

describe('wsus-connector run with hostile list files', () => {
  const run = async (args: string[]) => {
    const c = capturedIo(dir, {
      createTargets: async () => {
        throw new Error('must not build targets');
      },
    });
    const code = await connectorMain(['run', '--server', 'srv01', '--ssh-user', 'u', ...args], c.io);
    return { code, out: c.out(), err: c.err() };
  };

  it('/dev/zero and a FIFO are usage errors (-2) at once', async () => {
    for (const f of ['/dev/zero', join(dir, 'fifo')]) {
      const r = await run(['--include-list', f]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /not a regular file/);
      assert.equal(r.out.trimEnd().split('\n').at(-1), 'Result code: -2');
    }
  });

  it('a one-line 1 MB list file is cut in the message, not echoed whole', async () => {
    writeFileSync(join(dir, 'long.txt'), 'x'.repeat(1_000_000));
    const r = await run(['--exclude-list', 'long.txt']);
    assert.equal(r.code, 2);
    assert.match(r.err, /long\.txt:1: "x{80}… \(1000000 characters\)" is not a KB number/);
    assert.ok(r.err.length < 2000, `stderr is ${r.err.length} characters`);
  });

  it('a missing default known_hosts is a usage error (-2) before any connection', async () => {
    const home = process.env.HOME;
    process.env.HOME = dir;
    try {
      const c = capturedIo(dir);
      // 127.0.0.1:9 (discard) is never contacted: the check comes first.
      const code = await connectorMain(
        ['run', '--server', '127.0.0.1', '--ssh-user', 'u', '--ssh-port', '9'],
        c.io,
      );
      const [out, err] = [c.out(), c.err()];
      assert.equal(code, 2, err);
      assert.match(err, /known_hosts does not exist/);
      assert.equal(out.trimEnd().split('\n').at(-1), 'Result code: -2');
    } finally {
      process.env.HOME = home;
    }
  });

  it('the real binary ends a FIFO --servers-file with a usage error, not a hang', () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'wsus-connector.js');
    const r = spawnSync(
      process.execPath,
      [bin, 'run', '--servers-file', join(dir, 'fifo'), '--ssh-user', 'u'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stdout, /Result code: -2/);
  });
});
