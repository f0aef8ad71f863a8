// The fleet case at a size CI affords: 200 lab hosts (one reboot cycle each) patched with
// --parallel 200 through the real connector over real SSH. Any host that stalls fails the test,
// named with the last line it printed, instead of hanging the run (bench/fleet-scale.ts does 1,000).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fleetScenario } from '../../bench/fleet-lab.ts';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { type TempLab, tempLab } from '../lab/temp-lab.ts';
import { E2E_TRANSPORT } from './transport.ts';

const HOSTS = 200;
/** Far above the ~1 minute this takes, so only a stall trips it. */
const BOUND_MS = 240_000;

/** Why: per host, the last line it printed, for the hosts that never printed their summary. */
function stalledHosts(out: string, names: string[]): string[] {
  const last = new Map<string, string>();
  const done = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /^(\S+) \| (.*)$/.exec(line);
    if (!m) continue;
    if (m[2]!.startsWith('==== Summary:')) done.add(m[1]!);
    if (m[2]!.trim()) last.set(m[1]!, m[2]!.trim());
  }
  return names.filter((n) => !done.has(n)).map((n) => `${n} (last: ${last.get(n) ?? 'nothing'})`);
}

describe(`fleet of ${HOSTS} lab hosts over ${E2E_TRANSPORT}`, { timeout: BOUND_MS + 60_000 }, () => {
  let lab: TempLab;
  const scenario = fleetScenario(HOSTS, 0.01, 'ci');
  before(async () => {
    lab = await tempLab(scenario);
  });
  after(async () => {
    await lab?.close();
  });

  it(`patches all ${HOSTS} at once; every host 110, none stalls`, async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    const stop = new AbortController();
    const reportPath = join(lab.dir, 'report.json');
    const run = connectorMain(
      [
        'run',
        '--transport',
        E2E_TRANSPORT,
        '--inventory',
        lab.inventory,
        '--restart',
        '--parallel',
        String(HOSTS),
        '--report',
        reportPath,
        '--exit-codes',
        'posix',
      ],
      { stdout, stderr: new PassThrough(), env: {}, platform: 'linux', cwd: lab.dir, signal: stop.signal },
    );
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'stalled'>((resolve) => {
      timer = setTimeout(() => resolve('stalled'), BOUND_MS);
    });
    const first = await Promise.race([run, bound]);
    clearTimeout(timer);
    const names = scenario.hosts.map((h) => h.name);
    if (first === 'stalled') {
      const stalled = stalledHosts(out, names);
      stop.abort(new Error('fleet test bound'));
      // The abort is cooperative; give it a bounded moment, never an unbounded wait.
      await Promise.race([run.catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
      assert.fail(
        `${stalled.length} of ${HOSTS} hosts stalled (no summary after ${BOUND_MS / 1000} s): ${stalled.slice(0, 20).join('; ')}`,
      );
    }
    assert.deepEqual(stalledHosts(out, names), []);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { server: string; resultCode: number }[];
    const not110 = report.filter((r) => r.resultCode !== 110).map((r) => `${r.server}=${r.resultCode}`);
    assert.deepEqual(
      not110,
      [],
      out
        .split('\n')
        .filter((l) => /ERROR|WARNING/.test(l))
        .slice(0, 20)
        .join('\n'),
    );
    assert.equal(report.length, HOSTS);
    assert.equal(first, 0);
    assert.match(out, /Result code: 110\n$/);
  });
});
