// `--report-html FILE`: one self-contained page (no script, font or image from the network) for
// the operator at 3 a.m., often on a phone: the rollout's verdict first, the fleet table with the
// result codes, a timeline of the rollout, then each server's cycles and updates. Dark, high
// contrast, one column on a narrow screen.

import type { ServerReport } from '../../model/report.ts';
import { describeResultCode } from '../../model/result-codes.ts';
import { type RolloutSummary, serverStatus } from './rollout-summary.ts';

/** Why: every value a report page shows is HTML-escaped in one place (the assess page shares it). */
export const esc = (s: unknown): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STATUS_LABEL = { ok: 'OK', warnings: 'WARN', failed: 'FAIL', 'not-started': 'NOT STARTED' } as const;

export const CSS = `
:root{color-scheme:dark;--bg:#0d1117;--fg:#e6edf3;--muted:#9aa7b4;--line:#30363d;--ok:#3fb950;--warn:#d29922;--fail:#f85149;--skip:#8b949e;--card:#161b22}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1100px;margin:0 auto;padding:16px}h1{font-size:1.4rem;margin:.2em 0}h2{font-size:1.15rem;margin:1.4em 0 .5em}
.verdict{border-radius:8px;padding:12px 16px;background:var(--card);border-left:8px solid var(--line)}
.verdict.ok{border-color:var(--ok)}.verdict.warnings{border-color:var(--warn)}.verdict.failed{border-color:var(--fail)}
.big{font-size:1.6rem;font-weight:700}.muted{color:var(--muted)}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}.counts span{background:#21262d;border-radius:6px;padding:2px 10px}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;min-width:4.5em;text-align:center;border-radius:6px;padding:1px 8px;font-weight:700;color:#0d1117}
.b-ok{background:var(--ok)}.b-warnings{background:var(--warn)}.b-failed{background:var(--fail)}.b-not-started{background:var(--skip)}
.tl{position:relative;height:22px;background:#21262d;border-radius:4px;margin:4px 0 10px}
.tl div{position:absolute;top:0;bottom:0;border-radius:4px;min-width:3px}
.tl-ok{background:var(--ok)}.tl-warnings{background:var(--warn)}.tl-failed{background:var(--fail)}.tl-not-started{background:var(--skip)}
details{background:var(--card);border-radius:8px;margin:8px 0;padding:8px 12px}summary{cursor:pointer;font-weight:600}
code{font-family:ui-monospace,Consolas,monospace;font-size:.92em}.why{color:var(--muted);overflow-wrap:anywhere}
a{color:#79c0ff}.scroll{overflow-x:auto}
@media (max-width:640px){main{padding:10px}.fleet thead{display:none}
.fleet tr{display:grid;grid-template-columns:1fr 1fr;column-gap:16px;background:var(--card);border-radius:8px;margin:8px 0;padding:6px 10px}
.fleet td{display:flex;justify-content:space-between;gap:8px;border:0;padding:2px 0}.fleet td::before{content:attr(data-label);color:var(--muted)}
.fleet td:first-child{font-size:1.1rem;font-weight:700}.fleet td:first-child::before,.fleet td:nth-child(2)::before{content:none}
.fleet td.why{display:block;grid-column:1/-1;padding-top:4px}.fleet td.why::before{content:none}}
`;

function time(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19);
}

function duration(r: ServerReport): string {
  const s = Math.round((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function why(r: ServerReport): string {
  if (r.error) return `${r.error.kind}: ${r.error.message}`;
  const notes = [...(r.deadline ? [`deadline: ${r.deadline.stopped} not started`] : []), ...r.warnings];
  return notes.length ? notes.join('; ') : describeResultCode(r.resultCode);
}

function fleetTable(s: RolloutSummary): string {
  const rows = s.servers.map((r) => {
    const st = serverStatus(r);
    const n = (status: string) => r.updates.filter((u) => u.status === status).length;
    return `<tr data-server="${esc(r.server)}"><td data-label="Server"><a href="#s-${esc(r.server)}">${esc(r.server)}</a></td>
<td data-label="Status"><span class="badge b-${st}">${STATUS_LABEL[st]}</span></td>
<td data-label="Result code" class="num">${r.resultCode}</td><td data-label="Exit" class="num">${r.exitCode}</td>
<td data-label="Cycles" class="num">${r.cycles.length}</td><td data-label="Installed" class="num">${n('installed')}</td>
<td data-label="Failed" class="num">${n('failed')}</td><td data-label="Time" class="num">${duration(r)}</td>
<td data-label="Why" class="why">${esc(why(r))}</td></tr>`;
  });
  return `<table class="fleet"><thead><tr><th>Server</th><th>Status</th><th>Result code</th><th>Exit</th><th>Cycles</th><th>Installed</th><th>Failed</th><th>Time</th><th>Why</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function timeline(s: RolloutSummary): string {
  const t0 = Date.parse(s.startedAt);
  const span = Math.max(1, Date.parse(s.finishedAt) - t0);
  const pct = (ms: number) => Math.min(100, Math.max(0, ((ms - t0) / span) * 100)).toFixed(2);
  const wave = new Map<string, number>();
  s.waves.forEach((w, i) => {
    for (const name of w) wave.set(name, i + 1);
  });
  const rows = s.servers.map((r) => {
    const a = Date.parse(r.startedAt);
    const b = Date.parse(r.finishedAt);
    const w = Math.max(0.5, Number(pct(b)) - Number(pct(a)));
    const label = `${esc(r.server)}${s.waves.length > 1 ? ` <span class="muted">wave ${wave.get(r.server) ?? '?'}</span>` : ''} <span class="muted">${time(r.startedAt).slice(11)}–${time(r.finishedAt).slice(11)} UTC</span>`;
    return `<div>${label}</div><div class="tl" role="img" aria-label="${esc(r.server)} ${esc(serverStatus(r))}"><div class="tl-${serverStatus(r)}" style="left:${pct(a)}%;width:${w.toFixed(2)}%"></div></div>`;
  });
  return rows.join('\n');
}

function serverDetails(r: ServerReport): string {
  const cycles = r.cycles.length
    ? `<div class="scroll"><table><thead><tr><th>Cycle</th><th>Found</th><th>Installed</th><th>Failed</th><th>Reboot</th></tr></thead><tbody>${r.cycles
        .map(
          (c) =>
            `<tr><td class="num">${c.n}</td><td class="num">${c.found}</td><td class="num">${c.installed}</td><td class="num">${c.failed}</td><td>${c.rebooted ? `rebooted${c.rebootSeconds !== undefined ? ` (${c.rebootSeconds}s)` : ''}` : c.rebootRequired ? 'required, not done' : 'no'}</td></tr>`,
        )
        .join('')}</tbody></table></div>`
    : '<p class="muted">No cycle ran.</p>';
  const updates = r.updates.length
    ? `<div class="scroll"><table><thead><tr><th>Update</th><th>Status</th><th>HRESULT</th><th>Cycle</th></tr></thead><tbody>${r.updates
        .map(
          (u) =>
            `<tr><td><code>${esc(u.kb ?? u.id)}</code> ${esc(u.title)}</td><td>${esc(u.status)}</td><td>${u.hresult ? `<code>${esc(u.hresult)}</code> ${esc(u.hresultName ?? '')}` : ''}</td><td class="num">${u.cycle ?? ''}</td></tr>`,
        )
        .join('')}</tbody></table></div>`
    : '<p class="muted">No updates.</p>';
  const st = serverStatus(r);
  return `<details id="s-${esc(r.server)}"${st === 'ok' ? '' : ' open'}><summary><span class="badge b-${st}">${STATUS_LABEL[st]}</span> ${esc(r.server)} · result code ${r.resultCode}</summary>
<p class="why">${esc(why(r))}${r.runId ? ` · run <code>${esc(r.runId)}</code>` : ''}</p>${cycles}${updates}</details>`;
}

/** Why: the report a person reads after the rollout, on any device, with no network access. */
export function renderHtmlReport(s: RolloutSummary): string {
  const worst =
    s.counts.failed > 0 ? 'failed' : s.counts.notStarted > 0 || s.counts.warnings > 0 ? 'warnings' : 'ok';
  const headline =
    worst === 'failed'
      ? `${s.counts.failed} of ${s.counts.servers} server(s) failed`
      : worst === 'warnings'
        ? 'Done, with warnings'
        : `All ${s.counts.servers} server(s) patched`;
  const stop = s.stoppedBy
    ? `<p><strong>Fleet stopped by the ${esc(s.stoppedBy.gate)} gate:</strong> ${esc(s.stoppedBy.message)}</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>wsus-connector: ${esc(headline)}</title><style>${CSS}</style></head>
<body><main>
<h1>Patch run ${esc(time(s.startedAt))} UTC</h1>
<section class="verdict ${worst}"><div class="big">${esc(headline)}</div>
<div>Result code <strong>${s.resultCode}</strong> (exit ${s.exitCode}) · ${esc(describeResultCode(s.resultCode))}</div>
<div class="muted">${esc(time(s.startedAt))} → ${esc(time(s.finishedAt))} UTC · ${s.durationSeconds}s${s.deadline ? ` · deadline ${esc(time(s.deadline))} UTC` : ''}${s.interrupted ? ' · interrupted' : ''}</div>
${stop}<div class="counts"><span>${s.counts.ok} ok</span><span>${s.counts.warnings} warnings</span><span>${s.counts.failed} failed</span><span>${s.counts.notStarted} not started</span></div></section>
<h2>Servers</h2>${fleetTable(s)}
<h2>Timeline</h2>${timeline(s)}
<h2>Cycles and updates</h2>${s.servers.map(serverDetails).join('\n')}
<p class="muted">wsus-connector · times in UTC</p>
</main></body></html>
`;
}
