// `wsus-connector assess` end to end (docs/usage.md#fleet-compliance): a check-only pass over lab
// hosts writes the matrix as JSON and HTML; the page is read by a real headless Chromium, filtered
// and sorted by its own script, and holds a fleet of 1,000 servers.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { renderComplianceHtml } from '../../src/connector/output/compliance-html.ts';
import { readHostSummary } from '../../src/lab/host-state.ts';
import { buildComplianceMatrix, type ComplianceMatrix } from '../../src/model/compliance.ts';
import type { ServerReport } from '../../src/model/report.ts';
import { chromiumPath, dumpDom, screenshot } from './chromium.ts';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

async function assess(e: E2eLab, flags: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const argv = [
    'assess',
    '--transport',
    'ssh',
    '--inventory',
    e.inventory,
    '--exit-codes',
    'opcon',
    ...flags,
  ];
  const code = await connectorMain(argv, { stdout, stderr, env: {}, platform: 'linux', cwd: e.dir });
  return { code, out, err };
}

/** A synthetic fleet's check-only reports: what 1,000 servers would send back. */
function bigFleet(n: number): ServerReport[] {
  const kbs = Array.from({ length: 12 }, (_, i) => ({
    id: `7a0c1b2d-0000-4000-8000-${String(i).padStart(12, '0')}`,
    kb: `KB50447${String(i).padStart(2, '0')}`,
    title: `2026-11 Update ${i}`,
    classification: 'Security Updates',
    severity: (['Critical', 'Important', 'Moderate', 'Low'] as const)[i % 4] ?? null,
    sizeBytes: 1,
    status: 'available' as const,
    published: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
  }));
  return Array.from({ length: n }, (_, s) => ({
    server: `srv-${String(s).padStart(4, '0')}`,
    mode: 'check',
    runId: null,
    resultCode: s % 7 === 0 ? 1000 : 1100,
    exitCode: 0,
    exitCodes: 'opcon',
    startedAt: '2026-12-07T20:00:00.000Z',
    finishedAt: '2026-12-07T20:01:00.000Z',
    rebooted: false,
    cycles: [],
    updates: s % 7 === 0 ? [] : kbs.filter((_, i) => (s + i) % 3 === 0),
    warnings: [],
  }));
}

describe('assess: fleet compliance through the lab', () => {
  let e: E2eLab;
  const crit = upd('crit', { kb: 'KB5044700', severity: 'Critical', published: '2026-11-10T00:00:00Z' });
  const mod = upd('mod', { kb: 'KB5044701', severity: 'Moderate' });
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        { name: 'web01', catalog: ['crit', 'mod'] },
        { name: 'web02', catalog: ['mod'] },
        { name: 'dc01', catalog: ['crit', 'mod'], installed: ['KB5044700', 'KB5044701'] },
      ],
      catalog: [crit, mod],
    });
  });
  after(async () => {
    await e.close();
  });

  it('writes the matrix as JSON and HTML, installs nothing, ends with the check-only code', async () => {
    const json = join(e.dir, 'matrix.json');
    const html = join(e.dir, 'matrix.html');
    const r = await assess(e, ['--matrix', json, '--matrix-html', html, '--parallel', '3']);
    assert.equal(r.code, 1100, r.out + r.err);
    assert.match(r.out, /Result code: 1100\s*$/);
    const m = JSON.parse(readFileSync(json, 'utf8')) as ComplianceMatrix;
    assert.deepEqual(m.counts, { servers: 3, compliant: 1, missing: 2, failed: 0, updates: 2 });
    assert.deepEqual(
      m.updates.map((u) => [u.kb, u.severity, u.missingOn]),
      [
        ['KB5044700', 'Critical', 1],
        ['KB5044701', 'Moderate', 2],
      ],
    );
    const critU = m.updates[0];
    assert.equal(critU?.published, '2026-11-10T00:00:00.000Z');
    assert.ok((critU?.ageDays ?? -1) >= 0);
    const byServer = new Map(m.servers.map((s) => [s.server, s.missing.length]));
    assert.deepEqual([byServer.get('web01'), byServer.get('web02'), byServer.get('dc01')], [2, 1, 0]);
    assert.deepEqual((await readHostSummary(join(e.lab.hosts[0]?.diskDir ?? '', '..'))).installedKbs, []);
    const page = readFileSync(html, 'utf8');
    assert.doesNotMatch(page, /(src|href)="(https?:)?\/\//, 'no network resources');
    assert.match(page, /2 of 3 server\(s\) miss updates/);
  });

  it('refuses --mode install and a missing matrix path before touching a server', async () => {
    const bad = await assess(e, ['--mode', 'install', '--matrix', join(e.dir, 'm.json')]);
    assert.equal(bad.code, -2, bad.err);
    assert.match(bad.err, /check-only|contradicts/);
    const none = await assess(e, []);
    assert.equal(none.code, -2);
    assert.match(none.err, /--matrix FILE.json/);
  });

  it('holds 1,000 servers: Chromium renders every row, filters and sorts with the page script', async (t) => {
    const m = buildComplianceMatrix(bigFleet(1000), Date.parse('2026-12-07T21:00:00Z'));
    const dir = mkdtempSync(join(tmpdir(), 'wsus-connector-matrix-'));
    const html = join(dir, 'matrix.html');
    writeFileSync(html, renderComplianceHtml(m));
    assert.ok(statSync(html).size < 8 * 1024 * 1024, 'the page stays a few MB');
    if (!chromiumPath()) {
      t.skip('chromium not installed (scripts/install-system-deps.sh)');
      return;
    }
    const all = await dumpDom(html, dir);
    assert.equal((all.match(/<tr data-server="srv-/g) ?? []).length, 1000);
    assert.match(all, /1000 of 1000 servers/);
    // The link's filter is applied by the page's own script: only the matching rows stay visible.
    const filtered = await dumpDom(`${html}#filter=srv-001`, dir);
    assert.match(filtered, /10 of 1000 servers/);
    assert.equal((filtered.match(/<tr data-server="srv-\d+"[^>]*hidden/g) ?? []).length, 990);
    // Sorted by "Missing", most first: a compliant server (srv-0000) is last.
    const sorted = await dumpDom(`${html}#sort=missing:desc`, dir);
    const order = [...sorted.matchAll(/<tr data-server="(srv-\d+)"/g)].map((x) => x[1]);
    assert.equal(order.length, 1000);
    assert.notEqual(order[0], 'srv-0000');
    assert.match(sorted, /aria-sort="descending"/);
    const keep = mkdtempSync(join(tmpdir(), 'wsus-connector-assess-'));
    copyFileSync(html, join(keep, 'matrix.html'));
    const png = join(keep, 'matrix-desktop.png');
    await screenshot(`${html}#sort=missing:desc`, png, dir, '1280,900');
    assert.ok(statSync(png).size > 5000);
    process.stdout.write(`# compliance matrix screenshot: ${png}\n`);
  });
});
