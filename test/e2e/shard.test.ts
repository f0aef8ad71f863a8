// Beyond one box: `run --shard K/N` on two "controllers" and `merge-reports` give the same fleet
// result as one unsharded run, through the lab over real SSH (docs/scale.md).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { capturedIo } from '../cli/captured-io.ts';
import { type TempLab, tempLab } from '../lab/temp-lab.ts';
import { upd } from './lab-fixture.ts';

const lcu = upd('lcu', { reboot: 'always', kb: 'KB5044281' });
const def = upd('def', { kb: 'KB2267602', classification: 'Definition Updates', severity: null });
const bad = upd('bad', {
  kb: 'KB5044099',
  failures: [1, 2, 3].map((attempt) => ({ phase: 'install', attempt, hresult: '0x800F0922' })),
});
const scenario = {
  timeScale: 0.001,
  hosts: [
    ...['web01', 'web02', 'sql01', 'app01'].map((name) => ({ name, catalog: ['lcu', 'def'] })),
    ...['dc01', 'file01'].map((name) => ({ name, catalog: ['def'] })),
    { name: 'current01', catalog: ['def'], installed: ['KB2267602'] },
    { name: 'broken01', catalog: ['bad'] },
  ],
  catalog: [lcu, def, bad],
};

async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const c = capturedIo(cwd);
  const code = await connectorMain(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

const run = (lab: TempLab, report: string, extra: string[] = []) =>
  cli(
    [
      'run',
      '--transport',
      'ssh',
      '--inventory',
      lab.inventory,
      '--restart',
      '--parallel',
      '8',
      '--exit-codes',
      'opcon',
      '--report',
      join(lab.dir, report),
      ...extra,
    ],
    lab.dir,
  );

type Entry = { server: string; resultCode: number };
const codesOf = (file: string) =>
  Object.fromEntries(
    (JSON.parse(readFileSync(file, 'utf8')) as Entry[]).map((r) => [r.server, r.resultCode] as const),
  );

describe('--shard K/N and merge-reports through the lab', () => {
  let whole: TempLab;
  let sharded: TempLab;
  before(async () => {
    whole = await tempLab(scenario);
    sharded = await tempLab(scenario);
  });
  after(async () => {
    await whole?.close();
    await sharded?.close();
  });

  it('two shards, merged, equal one unsharded run: every server once, same codes, same worst', async () => {
    const one = await run(whole, 'all.json');
    const s1 = await run(sharded, 's1.json', ['--shard', '1/2']);
    const s2 = await run(sharded, 's2.json', ['--shard', '2/2']);
    const a = codesOf(join(sharded.dir, 's1.json'));
    const b = codesOf(join(sharded.dir, 's2.json'));
    assert.ok(Object.keys(a).length > 0 && Object.keys(b).length > 0, `${s1.out}\n${s2.out}`);
    assert.deepEqual(
      Object.keys(a).filter((s) => s in b),
      [],
      'no server in both shards',
    );
    assert.match(s1.out, /shard\s+1\/2 of 8 servers/);

    const merged = await cli(['merge-reports', 's1.json', 's2.json', '--report', 'fleet.json'], sharded.dir);
    const expected = codesOf(join(whole.dir, 'all.json'));
    assert.deepEqual(codesOf(join(sharded.dir, 'fleet.json')), expected);
    assert.equal(expected.broken01, -1);
    assert.equal(expected.web01, 110);
    const worst = /Result code: (-?\d+)\n$/;
    assert.equal(merged.out.match(worst)?.[1], one.out.match(worst)?.[1], merged.out);
    assert.equal(merged.code, one.code);
    assert.match(merged.out, /result\s+110: 4 server\(s\)/);
  });

  it('the same server always lands in the same shard, whatever the list order', async () => {
    const names = scenario.hosts.map((h) => h.name);
    const list = (file: string, order: string[]) => {
      const p = join(sharded.dir, file);
      writeFileSync(p, `${order.join('\n')}\n`);
      return p;
    };
    const shardOf = async (file: string) => {
      // --check-only: the shard's servers are listed in the header of each server's output.
      const r = await cli(
        [
          'run',
          '--transport',
          'ssh',
          '--inventory',
          sharded.inventory,
          '--servers-file',
          file,
          '--shard',
          '2/3',
          '--check-only',
          '--parallel',
          '8',
          '--exit-codes',
          'posix',
        ],
        sharded.dir,
      );
      return [...new Set([...r.out.matchAll(/^(\w+) \| ==== /gm)].map((m) => m[1]))].sort();
    };
    const forward = await shardOf(list('fwd.txt', names));
    const backward = await shardOf(list('bwd.txt', [...names].reverse()));
    assert.ok(forward.length > 0 && forward.length < names.length, forward.join(' '));
    assert.deepEqual(forward, backward);
  });

  it('a bad --shard is a usage error (-2) before any server is contacted', async () => {
    for (const bad of ['0/2', '3/2', '2', 'a/b', '1/0']) {
      const r = await cli(
        [
          'run',
          '--transport',
          'ssh',
          '--inventory',
          sharded.inventory,
          '--shard',
          bad,
          '--exit-codes',
          'opcon',
        ],
        sharded.dir,
      );
      assert.equal(r.code, -2, `${bad}: ${r.out}`);
      assert.match(r.err, /--shard: /);
      assert.match(r.out, /Result code: -2\n$/);
    }
  });

  it('merge-reports names a file that is not a report', async () => {
    const r = await cli(['merge-reports', join(sharded.dir, 'scenario.json')], sharded.dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /scenario\.json: not a wsus-connector report/);
  });
});
