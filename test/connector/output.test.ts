import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cycleTable } from '../../src/connector/output/cycle-table.ts';
import { formatSize, formatTime, renderTable } from '../../src/connector/output/format.ts';
import { createJobOutput } from '../../src/connector/output/job-output.ts';
import { makeHost, options, runOn } from './harness.ts';

describe('job output', () => {
  it('formats times in UTC with a Z, sizes, and aligned tables that truncate long cells', () => {
    assert.equal(formatTime(Date.parse('2026-11-24T06:00:01.500Z')), '2026-11-24 06:00:01Z');
    assert.equal(formatSize(520 * 1024 * 1024), '520 MB');
    assert.equal(formatSize(1.5 * 1024 ** 3), '1.5 GB');
    const t = renderTable(['A', 'B'], [['x', 'a very long value']], [5, 6]);
    assert.equal(t[2], 'x  a ver…');
  });

  it('the cycle table lists failures first with HRESULT and name', () => {
    const lines = cycleTable({
      runId: 'r',
      cycle: 1,
      mode: 'install',
      bootTime: 'b',
      rebootPendingAtStart: false,
      rebootRequired: false,
      willReboot: false,
      warnings: [],
      updates: [
        {
          id: '1',
          kb: 'KB1',
          title: 'One',
          classification: 'c',
          severity: null,
          sizeBytes: 1024,
          status: 'installed',
        },
        {
          id: '2',
          kb: 'KB2',
          title: 'Two',
          classification: 'c',
          severity: null,
          sizeBytes: 2048,
          status: 'failed',
          hresult: 0x80240022,
          hresultName: 'WU_E_ALL_UPDATES_FAILED',
        },
      ],
    });
    assert.match(lines[2] ?? '', /^KB2 .*failed\s+0x80240022 WU_E_ALL_UPDATES_FAILED$/);
    assert.match(lines[3] ?? '', /^KB1 .*installed/);
  });

  it('a run prints header, timestamped client lines, reboot durations, a summary, and the result last', async () => {
    const { host } = makeHost({
      catalog: [
        { id: 'aaaaaaaa-0000-0000-0000-000000000001', kb: 'KB5044000', reboot: 'always' },
        { id: 'aaaaaaaa-0000-0000-0000-000000000003', kb: 'KB890830', reboot: 'never' },
      ],
    });
    const run = await runOn(host, options({ restart: true }));
    const out = run.output;
    assert.match(out, /^==== wsus-connector: srv01/);
    assert.match(out, /^ {2}mode {12}install$/m);
    assert.match(out, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}\[client\] {4}installed KB890830$/m);
    assert.match(out, /\[reboot\] {4}server ready for the next cycle: the reboot took 1m3\ds/);
    assert.match(out, /==== Summary: srv01 ====/);
    assert.match(out, / {2}reboots {5}1 \(1m3\ds\)/);
    assert.equal(out.trimEnd().split('\n').at(-1), 'Result code: 110');
  });

  it('multi-server output prefixes lines and ends with the fleet table and the worst code', async () => {
    const a = await runOn(makeHost({ name: 'a1', catalog: [] }).host, options());
    const b = await runOn(
      makeHost({
        name: 'b2',
        catalog: [
          {
            id: 'bbbbbbbb-0000-0000-0000-000000000001',
            kb: 'KB5000001',
            failures: [{ attempt: 1, hresult: 5 }],
          },
        ],
      }).host,
      options(),
    );
    let text = '';
    const out = createJobOutput({
      write: (s) => {
        text += s;
      },
      servers: ['a1', 'b2'],
    });
    for (const e of [...a.events, ...b.events]) out.sink(e);
    out.finish([a.result, b.result], -1);
    assert.match(text, /^a1 \| ==== wsus-connector: a1/m);
    assert.match(text, /^b2 \| .*\[client\]/m);
    assert.match(text, /^Server\s+Result\s+Exit/m);
    assert.match(text, /^b2\s+-1\s+-1\s+1\s+0\s+1\s+0\s+\S+\s+update-failed/m);
    assert.equal(text.trimEnd().split('\n').at(-1), 'Result code: -1');
  });
});
