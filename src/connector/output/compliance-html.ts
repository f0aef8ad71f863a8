// The HTML page of `wsus-connector assess` (docs/usage.md#fleet-compliance): the compliance
// matrix, servers × missing updates, in the run report's style. One self-contained page: its
// small script (filter box, sorting by any column) is inline and nothing is fetched. A link may
// carry `#filter=TEXT&sort=COLUMN[:desc]`, so a filtered view can be shared.
import type { ComplianceMatrix, MatrixServer, MatrixUpdate } from '../../model/compliance.ts';
import { CSS, esc } from './html-report.ts';

const MATRIX_CSS = `
.tools{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:12px 0}
.tools input{flex:1;min-width:12em;font:inherit;padding:6px 10px;border-radius:6px;border:1px solid var(--line);background:var(--card);color:var(--fg)}
.matrix th{cursor:pointer;white-space:nowrap;position:sticky;top:0;background:var(--bg)}
.matrix th[aria-sort=ascending]::after{content:" \\25B2"}.matrix th[aria-sort=descending]::after{content:" \\25BC"}
.matrix td.cell{text-align:center;padding:4px}.matrix td.cell span{display:inline-block;width:14px;height:14px;border-radius:3px}
.sev-Critical{background:var(--fail)}.sev-Important{background:#db6d28}.sev-Moderate{background:var(--warn)}.sev-Low,.sev-none{background:var(--skip)}
.matrix tr.failed td{color:var(--muted)}.vh{writing-mode:vertical-rl;transform:rotate(180deg);font-size:.85rem}
`;

const SCRIPT = `
(function(){
var table=document.getElementById('matrix'),body=table.tBodies[0],box=document.getElementById('filter'),shown=document.getElementById('shown');
var rows=Array.prototype.slice.call(body.rows);
function apply(){var q=box.value.trim().toLowerCase(),n=0;
 rows.forEach(function(r){var hit=!q||r.getAttribute('data-search').indexOf(q)>=0;r.hidden=!hit;if(hit)n++;});
 shown.textContent=n+' of '+rows.length+' servers';}
function sortBy(col,desc){var th=table.tHead.rows[0].cells[col];
 Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort');});
 th.setAttribute('aria-sort',desc?'descending':'ascending');
 var num=th.getAttribute('data-type')==='num';
 rows.sort(function(a,b){var x=a.cells[col].getAttribute('data-v'),y=b.cells[col].getAttribute('data-v');
  var c=num?Number(x)-Number(y):x.localeCompare(y);return desc?-c:c;});
 rows.forEach(function(r){body.appendChild(r);});}
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){
 sortBy(i,th.getAttribute('aria-sort')==='ascending');});});
box.addEventListener('input',apply);
var h=new URLSearchParams(location.hash.slice(1));
if(h.get('filter'))box.value=h.get('filter');
if(h.get('sort')){var p=h.get('sort').split(':'),i=Array.prototype.findIndex.call(table.tHead.rows[0].cells,function(c){return c.getAttribute('data-col')===p[0];});if(i>=0)sortBy(i,p[1]==='desc');}
apply();
})();
`;

const SEVERITY_RANK: Record<string, number> = { Critical: 4, Important: 3, Moderate: 2, Low: 1 };

function updateHeader(u: MatrixUpdate): string {
  const tip = `${u.title} · ${u.severity ?? 'no severity'} · ${u.ageDays === null ? 'age unknown' : `${u.ageDays} days old`} · missing on ${u.missingOn}`;
  return `<th data-col="${esc(u.kb ?? u.id)}" data-type="num" title="${esc(tip)}"><span class="vh">${esc(u.kb ?? u.id)} <span class="muted">${u.ageDays ?? '?'}d</span></span></th>`;
}

function serverRow(s: MatrixServer, updates: readonly MatrixUpdate[]): string {
  const missing = new Set(s.missing);
  const mine = updates.filter((u) => missing.has(u.id));
  const worst = Math.max(0, ...mine.map((u) => SEVERITY_RANK[u.severity ?? ''] ?? 0));
  const oldest = Math.max(-1, ...mine.map((u) => u.ageDays ?? -1));
  const search = [s.server, ...mine.map((u) => u.kb ?? u.id), ...mine.map((u) => u.severity ?? '')]
    .join(' ')
    .toLowerCase();
  const cells = updates.map((u) =>
    missing.has(u.id)
      ? `<td class="cell" data-v="${SEVERITY_RANK[u.severity ?? ''] ?? 0.5}"><span class="sev-${esc(u.severity ?? 'none')}" title="${esc(`${s.server}: ${u.kb ?? u.id} missing`)}"></span></td>`
      : '<td class="cell" data-v="0"></td>',
  );
  const status = s.error
    ? `${esc(s.error.kind)}: ${esc(s.error.message)}`
    : mine.length
      ? `${mine.length} missing`
      : 'compliant';
  return `<tr data-server="${esc(s.server)}" data-search="${esc(search)}"${s.error ? ' class="failed"' : ''}><td data-v="${esc(s.server.toLowerCase())}">${esc(s.server)}</td>
<td data-v="${s.error ? -1 : mine.length}" class="num">${esc(status)}</td><td data-v="${worst}">${esc(Object.keys(SEVERITY_RANK).find((k) => SEVERITY_RANK[k] === worst) ?? '')}</td>
<td data-v="${oldest}" class="num">${oldest >= 0 ? `${oldest}d` : ''}</td>${cells.join('')}</tr>`;
}

/** Why: the page a team reads before the night, to see what the night will do to each server. */
export function renderComplianceHtml(m: ComplianceMatrix): string {
  const c = m.counts;
  const verdict = c.failed > 0 ? 'failed' : c.missing > 0 ? 'warnings' : 'ok';
  const headline = `${c.missing} of ${c.servers} server(s) miss updates`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>wsus-connector assess: ${esc(headline)}</title><style>${CSS}${MATRIX_CSS}</style></head>
<body><main>
<h1>Fleet compliance ${esc(m.assessedAt.replace('T', ' ').slice(0, 19))} UTC</h1>
<section class="verdict ${verdict}"><div class="big">${esc(headline)}</div>
<div class="counts"><span>${c.compliant} compliant</span><span>${c.missing} missing updates</span><span>${c.failed} check failed</span><span>${c.updates} distinct updates</span></div></section>
<div class="tools"><input id="filter" type="search" placeholder="Filter: server, KB or severity" aria-label="Filter servers"><span id="shown" class="muted">${c.servers} of ${c.servers} servers</span></div>
<div class="scroll"><table id="matrix" class="matrix"><thead><tr><th data-col="server">Server</th><th data-col="missing" data-type="num">Missing</th><th data-col="severity" data-type="num">Worst</th><th data-col="age" data-type="num">Oldest</th>${m.updates.map(updateHeader).join('')}</tr></thead>
<tbody>${m.servers.map((s) => serverRow(s, m.updates)).join('\n')}</tbody></table></div>
<h2>Missing updates</h2><div class="scroll"><table><thead><tr><th>Update</th><th>Severity</th><th>Classification</th><th>Published</th><th>Age</th><th>Servers</th></tr></thead><tbody>${m.updates
    .map(
      (u) =>
        `<tr><td><code>${esc(u.kb ?? u.id)}</code> ${esc(u.title)}</td><td>${esc(u.severity ?? '')}</td><td>${esc(u.classification)}</td><td class="num">${esc(u.published?.slice(0, 10) ?? '')}</td><td class="num">${u.ageDays ?? ''}${u.ageDays === null ? '' : 'd'}</td><td class="num">${u.missingOn}</td></tr>`,
    )
    .join('')}</tbody></table></div>
<p class="muted">wsus-connector assess · a check-only pass; nothing was installed · times in UTC</p>
</main><script>${SCRIPT}</script></body></html>
`;
}
