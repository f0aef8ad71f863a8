// The JUnit and HTML renderers over a hand-made mixed fleet: the JUnit file against the Ant
// JUnit schema (xmllint), the HTML page escaped, self-contained, one row per server.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { renderHtmlReport } from '../../../src/connector/output/html-report.ts';
import { renderJunitReport } from '../../../src/connector/output/junit-report.ts';
import { type RolloutSummary, serverStatus } from '../../../src/connector/output/rollout-summary.ts';
import type { ServerReport } from '../../../src/model/report.ts';

const XSD = join(import.meta.dirname, '..', '..', 'fixtures', 'junit', 'JUnit.xsd');

function rep(server: string, over: Partial<ServerReport> = {}): ServerReport {
  return {
    server,
    mode: 'install',
    runId: '20260301T020000Z-abc123',
    resultCode: 100,
    exitCode: 0,
    exitCodes: 'posix',
    startedAt: '2026-03-01T02:00:00.000Z',
    finishedAt: '2026-03-01T02:10:00.000Z',
    rebooted: false,
    cycles: [
      {
        n: 1,
        bootTimeBefore: null,
        bootTimeAfter: null,
        found: 1,
        installed: 1,
        failed: 0,
        rebootRequired: false,
        rebooted: false,
      },
    ],
    updates: [],
    warnings: [],
    ...over,
  };
}

export function mixedFleet(): RolloutSummary {
  const servers = [
    rep('web-01'),
    rep('sql<&>"01', {
      resultCode: -1,
      exitCode: 1,
      updates: [
        {
          id: 'u1',
          kb: 'KB5044099',
          title: 'Cumulative Update <x>',
          classification: 'Security Updates',
          severity: 'Critical',
          sizeBytes: 1,
          status: 'failed',
          hresult: '0x800F0922',
          hresultName: 'CBS_E_INSTALLERS_FAILED',
          cycle: 1,
        },
      ],
      error: {
        kind: 'update-failed',
        message: 'KB5044099 failed in cycle 1: 0x800F0922 CBS_E_INSTALLERS_FAILED',
      },
    }),
    rep('dc-01', {
      resultCode: -3,
      exitCode: 3,
      cycles: [],
      error: { kind: 'unreachable', message: 'no route' },
    }),
    rep('app-01', {
      resultCode: 115,
      exitCode: 5,
      warnings: ['deadline 2026-03-01T05:00:00.000Z passed: the reboot after cycle 2 not started'],
      deadline: { at: '2026-03-01T05:00:00.000Z', stopped: 'the reboot after cycle 2' },
    }),
    rep('app-02', {
      resultCode: -12,
      exitCode: 12,
      cycles: [],
      error: { kind: 'not-started', message: 'not started: --max-failures 1 reached' },
    }),
  ];
  return {
    tool: 'wsus-connector',
    startedAt: '2026-03-01T02:00:00.000Z',
    finishedAt: '2026-03-01T02:30:00.000Z',
    durationSeconds: 1800,
    resultCode: -3,
    exitCode: 3,
    interrupted: false,
    stoppedBy: { gate: 'max-failures', message: '--max-failures 1 reached: 2 of 5 server(s) failed' },
    deadline: '2026-03-01T05:00:00.000Z',
    waves: [['web-01'], ['sql<&>"01', 'dc-01', 'app-01', 'app-02']],
    counts: { servers: 5, ok: 1, warnings: 1, failed: 2, notStarted: 1 },
    servers,
  };
}

describe('rollout reports', () => {
  it('JUnit: valid against the Ant JUnit schema; failure, error and skipped per server', () => {
    const xml = renderJunitReport(mixedFleet());
    const dir = mkdtempSync(join(tmpdir(), 'wsus-junit-'));
    const file = join(dir, 'junit.xml');
    writeFileSync(file, xml);
    execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suite = doc.testsuite;
    assert.equal(suite.tests, '5');
    assert.equal(suite.failures, '1');
    assert.equal(suite.errors, '1');
    assert.equal(suite.skipped, '1');
    const cases = suite.testcase as Record<string, unknown>[];
    assert.deepEqual(
      cases.map((c) => c.name),
      ['web-01', 'sql<&>"01', 'dc-01', 'app-01', 'app-02'],
    );
    assert.match(
      String(((cases[1]?.failure ?? {}) as Record<string, string>)['#text']),
      /KB5044099 .*0x800F0922 CBS_E_INSTALLERS_FAILED/,
    );
    assert.equal(((cases[2]?.error ?? {}) as Record<string, string>).type, 'unreachable (result code -3)');
    assert.ok(cases[4]?.skipped !== undefined);
    assert.match(String(suite['system-out']), /app-01: result code 115 \(.*deadline/);
  });

  it('HTML: every server has a row, markup is escaped, nothing is fetched from the network', () => {
    const s = mixedFleet();
    const html = renderHtmlReport(s);
    for (const r of s.servers)
      assert.ok(
        html.includes(
          `data-server="${r.server.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c)}"`,
        ),
        r.server,
      );
    assert.doesNotMatch(html, /<x>/);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
    assert.match(html, /Fleet stopped by the max-failures gate/);
    assert.match(html, /name="viewport"/);
    assert.deepEqual(s.servers.map(serverStatus), ['ok', 'failed', 'failed', 'warnings', 'not-started']);
  });
});
