// Chaos at fleet scale: one connector run over 20 hosts at once (--parallel 20), a three-cycle
// chain each, with faults on several hosts at the same time and two faults in one host's run.
// Every host must end as a host without faults does (110), each update installed exactly once.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { capturedIo } from '../cli/captured-io.ts';
import { type TempLab, tempLab } from '../lab/temp-lab.ts';
import { boundedLabTargets, installCounts, upd } from './lab-fixture.ts';

type Fault = { at: string; do: string; seconds?: number };

/** Faults by host index; the rest of the 20 run clean, at the same time. */
const FAULTS: Record<number, Fault[]> = {
  2: [
    { at: 'stage', do: 'drop-ssh' },
    { at: 'reboot-up', do: 'refuse-ssh', seconds: 100 },
  ],
  5: [
    { at: 'install-start', do: 'drop-ssh' },
    { at: 'ack', do: 'drop-ssh' },
  ],
  8: [{ at: 'reboot-up', do: 'reset-handshake' }],
  11: [{ at: 'run-end', do: 'drop-ssh' }],
  14: [
    { at: 'cycle-start', do: 'hang-exec' },
    { at: 'reboot-up', do: 'reset-handshake' },
  ],
  17: [{ at: 'stage', do: 'hang-sftp' }],
};

describe('chaos: faults on several hosts of a 20-host fleet at once', () => {
  let lab: TempLab;
  before(async () => {
    lab = await tempLab({
      timeScale: 0.01,
      hosts: Array.from({ length: 20 }, (_, i) => ({
        name: `f${i}`,
        rebootSeconds: 50,
        catalog: ['ssu', 'lcu'],
        faults: FAULTS[i] ?? [],
      })),
      catalog: [
        upd('ssu', { reboot: 'always', installSeconds: 20 }),
        upd('lcu', { reboot: 'can', requires: ['ssu'], installSeconds: 20 }),
      ],
    });
  });
  after(() => lab.close());

  const installs = (server: string) => Object.values(installCounts(lab.dir, server));

  it('every host gives 110 and installs each update once', async () => {
    const notes: string[] = [];
    for (const h of lab.lab.hosts) h.onEvent = (m) => notes.push(m);
    const report = join(lab.dir, 'fleet.json');
    const t = capturedIo(lab.dir, {
      createTargets: await boundedLabTargets(lab.inventory),
    });
    const code = await connectorMain(
      [
        'run',
        '--inventory',
        lab.inventory,
        '--parallel',
        '20',
        '--restart',
        '--start-timeout',
        '10s',
        '--exit-codes',
        'opcon',
        '--report',
        report,
      ],
      t.io,
    );
    const reports = JSON.parse(readFileSync(report, 'utf8')) as { server: string; resultCode: number }[];
    assert.equal(reports.length, 20);
    const wrong = reports.filter((r) => r.resultCode !== 110).map((r) => `${r.server}: ${r.resultCode}`);
    assert.deepEqual(
      wrong,
      [],
      t
        .out()
        .split('\n')
        .filter((l) => /ERROR|WARNING/.test(l))
        .join('\n'),
    );
    for (const r of reports) assert.deepEqual(installs(r.server), [1, 1], `${r.server} installed each once`);
    for (const [i, faults] of Object.entries(FAULTS)) {
      const fired = notes.filter((n) => n.startsWith(`f${i}: fault `)).length;
      assert.equal(fired, faults.length, `every fault of f${i} fired`);
    }
    assert.equal(code, 110);
    assert.equal(t.out().trimEnd().split('\n').at(-1), 'Result code: 110');
  });
});
