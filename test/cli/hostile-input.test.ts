// A careless operator's input at scale: 10,000 names in a servers file (bounded time and memory,
// never more connections at once than --parallel, a clear refusal past its range), names a shell
// could misread (refused naming file:line before any target is built), and 50 MB input files
// (refused by size, without reading them).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { runLab } from '../../src/cli/lab-command.ts';
import type { TargetAccess } from '../../src/connector/ports.ts';
import { TargetError } from '../../src/model/target.ts';
import { FakeClock } from '../connector/fake-clock.ts';
import { capturedIo } from './captured-io.ts';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsus-hostile-input-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const SSH = ['run', '--ssh-user', 'admin'];

describe('10,000 names in a servers file', () => {
  const names = Array.from({ length: 10_000 }, (_, i) => `srv${String(i).padStart(5, '0')}.example.test`);
  before(() => writeFileSync(join(dir, 'fleet.txt'), `${names.join('\n')}\n`));

  it('--parallel past its range is refused clearly', async () => {
    const t = capturedIo(dir);
    const code = await connectorMain([...SSH, '--servers-file', 'fleet.txt', '--parallel', '10000'], t.io);
    assert.equal(code, 2);
    assert.match(t.err(), /--parallel: 10000 is out of range \(1–1000\)/);
  });

  it('runs all, never more than --parallel connecting at once, in bounded time and memory', async () => {
    const clock = new FakeClock();
    clock.maxTicks = 2_000_000;
    let active = 0;
    let peak = 0;
    let connects = 0;
    // The connect is where the ssh adapter resolves the name: counting them counts DNS look-ups.
    const target = (server: string) =>
      ({
        server,
        async connect() {
          connects++;
          active++;
          peak = Math.max(peak, active);
          await clock.sleep(1000);
          active--;
          throw new TargetError('auth', 'permission denied (publickey)');
        },
        async close() {},
      }) as unknown as TargetAccess;
    const t = capturedIo(dir, { clock, createTargets: async () => async (s: string) => target(s) });
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    const code = await connectorMain(
      [...SSH, '--servers-file', 'fleet.txt', '--parallel', '100', '--report', 'fleet.json'],
      t.io,
    );
    const seconds = (Date.now() - started) / 1000;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    assert.equal(code, 3, 'every server refused its logon: unreachable class');
    assert.equal(connects, 10_000, 'each server tried once');
    assert.ok(peak <= 100, `at most --parallel connects at once (saw ${peak})`);
    assert.equal(t.out().trimEnd().split('\n').at(-1), 'Result code: -3');
    assert.ok(seconds < 180, `bounded time (${seconds.toFixed(1)} s)`);
    assert.ok(heapMb < 600, `bounded memory (${heapMb.toFixed(0)} MB more heap)`);
  });
});

describe('names a shell could misread never get past validation', () => {
  const EVIL = [
    'srv01;reboot',
    'srv01 && curl evil',
    '$(touch /tmp/pwned)',
    '`id`',
    'srv01|nc',
    "srv'01",
    'srv"01',
    'srv01>out',
    'sérveur01',
    'сервер01',
    'srv\u202e10',
    `a${'b'.repeat(298)}c`,
    '-oProxyCommand=sh',
  ];
  for (const name of EVIL) {
    it(`${JSON.stringify(name.length > 40 ? `${name.slice(0, 12)}… (${name.length} chars)` : name)}`, async () => {
      writeFileSync(join(dir, 'evil.txt'), `good01\n${name}\n`);
      let built = 0;
      const t = capturedIo(dir, {
        createTargets: async () => {
          built++;
          return async () => {
            throw new Error('must not connect');
          };
        },
      });
      const code = await connectorMain([...SSH, '--servers-file', 'evil.txt'], t.io);
      assert.equal(code, 2);
      assert.match(t.err(), /evil\.txt:2: ".*" is not a server name/);
      const flag = capturedIo(dir);
      assert.equal(await connectorMain([...SSH, '--server', name], flag.io), 2);
      assert.match(flag.err(), /--server: ".*" is not a server name/);
      assert.equal(built, 0);
    });
  }
});

describe('50 MB input files are refused by size, without being read', () => {
  const big = (name: string) => {
    const path = join(dir, name);
    writeFileSync(path, '');
    truncateSync(path, 50 * 2 ** 20);
    return path;
  };
  for (const [label, args, pattern] of [
    ['servers file', (p: string) => [...SSH, '--servers-file', p], /--servers-file .*: is 52428800 bytes/],
    ['inventory', (p: string) => ['run', '--server', 'srv01', '--inventory', p], /inventory|52428800 bytes/],
    ['include list', (p: string) => [...SSH, '--server', 's1', '--include-list', p], /52428800 bytes/],
    ['lab scenario', (p: string) => ['lab', '--scenario', p, '--inventory', join(dir, 'i.json')], /52428800/],
  ] as [string, (p: string) => string[], RegExp][]) {
    it(label, async () => {
      const path = big(`big-${label.replace(' ', '-')}.json`);
      const t = capturedIo(dir, { lab: runLab });
      const heapBefore = process.memoryUsage().heapUsed;
      const started = Date.now();
      const code = await connectorMain(args(path), t.io);
      assert.equal(code, 2, t.err());
      assert.match(t.err(), pattern);
      assert.match(t.err(), /more than the limit of 4194304 bytes/);
      assert.ok(Date.now() - started < 5000, 'at once');
      assert.ok(process.memoryUsage().heapUsed - heapBefore < 20 * 2 ** 20, 'the file was not read');
    });
  }
});
