import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliIo, connectorMain } from '../../src/cli/connector-main.ts';
import type { TargetAccess } from '../../src/connector/ports.ts';
import { FakeClock } from '../connector/fake-clock.ts';
import { FakeHost } from '../connector/fake-host.ts';
import { capturedIo } from './captured-io.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wsus-connector.js');
const MSRT = { id: 'aaaaaaaa-0000-0000-0000-000000000003', kb: 'KB890830', reboot: 'never' as const };
const SSU = { id: 'aaaaaaaa-0000-0000-0000-000000000001', kb: 'KB5044000', reboot: 'always' as const };

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsus-connector-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function io(extra: Partial<CliIo> = {}) {
  return capturedIo(dir, extra);
}

describe('wsus-connector run: input validation before any target', () => {
  it('a bad include list exits 2 naming file:line; no inventory read, no target built', async () => {
    writeFileSync(join(dir, 'inc.txt'), 'KB5044281\n\n# fine\nKB50x\n');
    writeFileSync(join(dir, 'inv.json'), '{}');
    let touched = 0;
    const t = io({
      loadInventoryHosts: async () => {
        touched++;
        return new Map();
      },
      createTargets: async () => {
        touched++;
        return async () => {
          throw new Error('must not connect');
        };
      },
    });
    const code = await connectorMain(
      ['run', '--server', 'srv01', '--inventory', 'inv.json', '--include-list', 'inc.txt'],
      t.io,
    );
    assert.equal(code, 2);
    assert.match(t.err(), /inc\.txt:4: "KB50x" is not a KB number/);
    assert.equal(t.out().trimEnd().split('\n').at(-1), 'Result code: -2');
    assert.equal(touched, 0);
  });

  for (const [args, pattern] of [
    [['--reboot-timeout', '5 minutes'], /--reboot-timeout: "5 minutes" is not a duration/],
    [['--title', '(unclosed'], /--title: invalid regular expression/],
    [['--category', 'Security Updates,Nope'], /--category: unknown classification "Nope"/],
    [['--severity', 'urgent'], /--severity: unknown severity "urgent"/],
    [['--max-cycles', '0'], /--max-cycles: 0 is out of range/],
    [['--check-only', '--mode', 'install'], /--check-only contradicts --mode install/],
    [
      ['--client-path', 'relative/nothing.exe'],
      /--client-path: "relative\/nothing.exe" is neither a local file/,
    ],
    [['--transport', 'windows'], /needs Windows/],
  ] as [string[], RegExp][]) {
    it(`rejects ${args.join(' ')}`, async () => {
      const t = io();
      const code = await connectorMain(['run', '--server', 'srv01', '--ssh-user', 'admin', ...args], t.io);
      assert.equal(code, 2);
      assert.match(t.err(), pattern);
    });
  }

  it('opcon exit codes give -2 for a usage error, and a report with error.kind usage is written', async () => {
    const t = io();
    const report = join(dir, 'usage.json');
    const code = await connectorMain(
      [
        'run',
        '--server',
        'srv01',
        '--ssh-user',
        'a',
        '--reboot-timeout',
        'x',
        '--exit-codes',
        'opcon',
        '--report',
        report,
      ],
      t.io,
    );
    assert.equal(code, -2);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    assert.equal(rep.error.kind, 'usage');
    assert.equal(rep.resultCode, -2);
  });

  it('an unknown flag is a usage error too', async () => {
    const t = io();
    const code = await connectorMain(['run', '--server', 'srv01', '--restrat'], t.io);
    assert.equal(code, 2);
    assert.match(t.err(), /unknown option '--restrat'/);
  });

  it('a server missing from the inventory is refused up front', async () => {
    writeFileSync(join(dir, 'inv2.json'), '{}');
    const t = io({ loadInventoryHosts: async () => new Map([['srv01', {}]]) });
    const code = await connectorMain(['run', '--server', 'srv09', '--inventory', 'inv2.json'], t.io);
    assert.equal(code, 2);
    assert.match(t.err(), /srv09 is not in the inventory \(it has: srv01\)/);
  });
});

describe('wsus-connector run: several servers', () => {
  it('runs them in parallel, writes one report array, exits with the worst outcome', async () => {
    const clock = new FakeClock();
    const hosts = new Map([
      ['srv01', new FakeHost(clock, { name: 'srv01', catalog: [MSRT] })],
      ['srv02', new FakeHost(clock, { name: 'srv02', catalog: [SSU] })],
      [
        'srv03',
        new FakeHost(clock, {
          name: 'srv03',
          catalog: [{ ...MSRT, failures: [{ attempt: 1, hresult: 0x80240022 }] }],
        }),
      ],
    ]);
    writeFileSync(join(dir, 'servers.txt'), 'srv01\nsrv02 # needs a reboot\n\nsrv03\n');
    const report = join(dir, 'fleet.json');
    const t = io({
      clock,
      loadInventoryHosts: async () => new Map([...hosts.keys()].map((k) => [k, {}])),
      createTargets:
        async () =>
        async (server: string): Promise<TargetAccess> =>
          hosts.get(server)!.session(),
    });
    writeFileSync(join(dir, 'inv3.json'), '{}');
    const code = await connectorMain(
      [
        'run',
        '--servers-file',
        'servers.txt',
        '--inventory',
        'inv3.json',
        '--parallel',
        '3',
        '--report',
        report,
      ],
      t.io,
    );
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    assert.deepEqual(
      rep.map((r: { server: string; resultCode: number }) => [r.server, r.resultCode]),
      [
        ['srv01', 100],
        ['srv02', 105],
        ['srv03', -1],
      ],
    );
    assert.equal(code, 1, 'posix: an update failed is the worst here');
    const out = t.out();
    assert.match(out, /^srv02 \| .*\[client\]/m);
    assert.match(out, /==== All servers ====/);
    assert.match(out, /srv03\s+-1\s+1\s/);
    assert.equal(out.trimEnd().split('\n').at(-1), 'Result code: -1');
  });
});

describe('bin/wsus-connector.js', () => {
  it('is a real process: usage error exits 2 with the message on stderr', () => {
    const r = spawnSync(
      process.execPath,
      [BIN, 'run', '--server', 'srv01', '--ssh-user', 'a', '--start-delay', 'soon'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--start-delay: "soon" is not a duration/);
    assert.match(r.stdout, /Result code: -2\n$/);
  });
});
