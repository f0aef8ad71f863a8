import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildServerReport,
  mergeCycleUpdates,
  reportFileSchema,
  serializeReport,
} from '../../src/model/report.ts';
import type { UpdateOutcome } from '../../src/model/update.ts';

function u(over: Partial<UpdateOutcome>): UpdateOutcome {
  return {
    id: 'id-1',
    kb: 'KB1',
    title: 'Update 1',
    classification: 'Security Updates',
    severity: 'Critical',
    sizeBytes: 100,
    status: 'available',
    ...over,
  };
}

function base() {
  return {
    server: 'srv01',
    mode: 'install' as const,
    runId: 'r1',
    resultCode: 100,
    exitCode: 0,
    exitCodes: 'posix' as const,
    startedAt: new Date('2026-11-24T06:00:00Z'),
    finishedAt: new Date('2026-11-24T06:10:00Z'),
    cycles: [
      {
        n: 1,
        bootTimeBefore: 'a',
        bootTimeAfter: 'b',
        found: 1,
        installed: 1,
        failed: 0,
        rebootRequired: true,
        rebooted: true,
      },
    ],
    cycleUpdates: [],
    warnings: ['w', 'w'],
  };
}

describe('report', () => {
  it('merges cycles: a later install beats an earlier failure; later filtered/available never hide an install', () => {
    const merged = mergeCycleUpdates([
      {
        n: 1,
        updates: [
          u({ status: 'failed', hresult: 0x800f0922, hresultName: 'CBS_E_INSTALLERS_FAILED' }),
          u({ id: 'id-2', kb: 'KB2', status: 'installed', hresult: 0 }),
        ],
      },
      {
        n: 2,
        updates: [
          u({ status: 'installed', cycle: 2 }),
          u({ id: 'id-2', kb: 'KB2', status: 'available' }),
          u({ id: 'id-3', kb: 'KB3', status: 'filtered', filteredBy: 'exclude-list' }),
        ],
      },
    ]);
    const byId = new Map(merged.map((m) => [m.id, m]));
    assert.equal(byId.get('id-1')?.status, 'installed');
    assert.equal(byId.get('id-1')?.cycle, 2);
    assert.equal(byId.get('id-1')?.hresult, undefined, 'success HRESULTs are not reported');
    assert.equal(byId.get('id-2')?.status, 'installed');
    assert.equal(byId.get('id-2')?.cycle, 1);
    assert.equal(byId.get('id-3')?.filteredBy, 'exclude-list');
    assert.equal(byId.get('id-3')?.cycle, undefined);
  });

  it('a failure keeps its HRESULT in hex and its name', () => {
    const [f] = mergeCycleUpdates([
      {
        n: 1,
        updates: [
          u({
            status: 'failed',
            hresult: 0x800f0922,
            hresultName: 'CBS_E_INSTALLERS_FAILED',
            message: 'install failed',
          }),
        ],
      },
    ]);
    assert.equal(f?.hresult, '0x800F0922');
    assert.equal(f?.hresultName, 'CBS_E_INSTALLERS_FAILED');
    assert.equal(f?.message, 'install failed');
  });

  it('builds a schema-valid report with deduplicated warnings and rebooted derived from cycles', () => {
    const r = buildServerReport({ ...base(), error: { kind: 'loop-detected', message: 'x' } });
    assert.equal(r.rebooted, true);
    assert.deepEqual(r.warnings, ['w']);
    assert.equal(r.error?.kind, 'loop-detected');
    assert.equal(r.startedAt, '2026-11-24T06:00:00.000Z');
  });

  it('rejects an unknown error kind', () => {
    assert.throws(() => buildServerReport({ ...base(), error: { kind: 'oops' as 'usage', message: 'x' } }));
  });

  it('serializes one server as an object and several as an array', () => {
    const r = buildServerReport(base());
    const one = JSON.parse(serializeReport([r]));
    assert.equal(Array.isArray(one), false);
    const two = JSON.parse(serializeReport([r, { ...r, server: 'srv02' }]));
    assert.equal(two.length, 2);
    assert.ok(reportFileSchema.safeParse(two).success);
    assert.ok(Array.isArray(JSON.parse(serializeReport([r], true))));
  });
});
