// Chaos: lab fault injection at chosen events of a three-cycle chain (two reboots), through the
// real connector CLI over real SSH. Each fault must give the same result code as the run without
// it, install every update exactly once, leave complete activity logs, and always end with a
// result line and a report. The CI set below is representative; docs/lab.md lists the full
// event × fault matrix and how it was run.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { readCompleteLog } from '../client/job-fixture.ts';
import { type TempLab, tempLab } from '../lab/temp-lab.ts';
import { boundedLabTargets, installCounts, upd } from './lab-fixture.ts';
import { E2E_TRANSPORT } from './transport.ts';

type Fault = { at: string; do: string; seconds?: number };

/** The CI set: every fault kind once, at an event where it bites. */
const PAIRS: Fault[] = [
  { at: 'stage', do: 'hang-sftp' },
  { at: 'stage', do: 'drop-ssh' },
  { at: 'reboot-up', do: 'hang-exec' },
  { at: 'cycle-start', do: 'hang-exec' },
  { at: 'install-start', do: 'drop-ssh' },
  { at: 'run-end', do: 'drop-ssh' },
  { at: 'ack', do: 'drop-ssh' },
  { at: 'reboot-up', do: 'refuse-ssh', seconds: 100 },
  { at: 'reboot-up', do: 'reset-handshake' },
];
const EXTRA = (process.env.CHAOS_PAIRS ?? '')
  .split(',')
  .filter(Boolean)
  .map((p) => {
    const [at, d, s] = p.split(':');
    return { at: at ?? '', do: d ?? '', ...(s ? { seconds: Number(s) } : {}) };
  });
const FAULTS = EXTRA.length > 0 ? EXTRA : PAIRS;
const name = (i: number) => `h${i}`;

describe(`chaos over ${E2E_TRANSPORT}: faults at events of a three-cycle chain`, () => {
  let lab: TempLab;
  before(async () => {
    const hosts = [undefined, ...FAULTS, { at: 'install-start', do: 'kill-client' }].map((f, i) => ({
      name: name(i),
      rebootSeconds: 50,
      catalog: ['ssu', 'lcu'],
      faults: f ? [f] : [],
    }));
    lab = await tempLab({
      timeScale: 0.01,
      hosts,
      catalog: [
        upd('ssu', { reboot: 'always', installSeconds: 20 }),
        upd('lcu', { reboot: 'can', requires: ['ssu'], installSeconds: 20 }),
      ],
    });
  });
  after(() => lab.close());
  const notes: string[] = [];
  before(() => {
    for (const h of lab.lab.hosts) h.onEvent = (m) => notes.push(m);
  });

  const run = async (server: string) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    stderr.on('data', () => {});
    const report = join(lab.dir, `report-${server}-${Date.now()}.json`);
    const code = await connectorMain(
      [
        'run',
        '--transport',
        E2E_TRANSPORT,
        '--inventory',
        lab.inventory,
        '--server',
        server,
        '--restart',
        '--exit-codes',
        'opcon',
        // A silent relay is reopened after half of it (5 s).
        '--start-timeout',
        '10s',
        '--report',
        report,
      ],
      {
        stdout,
        stderr,
        env: {},
        platform: 'linux',
        cwd: lab.dir,
        createTargets: await boundedLabTargets(lab.inventory),
      },
    );
    const r = JSON.parse(readFileSync(report, 'utf8')) as { resultCode: number };
    return { code, out, resultCode: r.resultCode };
  };

  const installs = (server: string) => Object.values(installCounts(lab.dir, server));
  const clientLines = (out: string) => out.split('\n').filter((l) => l.includes('[client]')).length;
  const checkLogs = (server: string) => {
    const runs = join(lab.dir, 'lab', 'hosts', server, 'disk', 'ProgramData', 'wsus-connector', 'runs');
    for (const d of readdirSync(runs)) readCompleteLog(join(runs, d, 'log.jsonl'));
  };

  let baseline = { resultCode: Number.NaN, lines: 0 };
  it('baseline without faults', async () => {
    const r = await run(name(0));
    assert.equal(r.resultCode, 110, r.out);
    assert.match(r.out, /Result code: 110/);
    baseline = { resultCode: r.resultCode, lines: clientLines(r.out) };
    assert.deepEqual(installs(name(0)), [1, 1]);
  });

  it('a client killed mid-install: a named failure, then a rerun runs the dead cycle again', async () => {
    const h = name(FAULTS.length + 1);
    const first = await run(h);
    assert.ok(notes.includes(`${h}: fault kill-client at install-start`), notes.join('; '));
    assert.match(first.out, /Result code: -?\d+\n?$/);
    assert.equal(first.resultCode, -8, first.out);
    const rerun = await run(h);
    assert.equal(rerun.resultCode, baseline.resultCode, rerun.out);
    assert.match(rerun.out, /died before its summary/);
    checkLogs(h);
  });

  FAULTS.forEach((f, i) => {
    it(`${f.do} at ${f.at}: same result, each update once, logs complete`, async () => {
      const r = await run(name(i + 1));
      assert.ok(
        notes.includes(`${name(i + 1)}: fault ${f.do} at ${f.at}`),
        `the fault fired: ${notes.join('; ')}`,
      );
      assert.match(r.out, /Result code: -?\d+\n?$/, 'a result line');
      assert.equal(r.resultCode, baseline.resultCode, r.out);
      assert.deepEqual(installs(name(i + 1)), [1, 1], 'every update installed exactly once');
      checkLogs(name(i + 1));
      assert.equal(clientLines(r.out), baseline.lines, `no event lost or repeated\n${r.out}`);
    });
  });
});
