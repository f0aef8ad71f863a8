// Small text helpers for job output: UTC timestamps (never a local time a reader must guess),
// sizes, and fixed-width tables that stay readable in a scheduler's log viewer.

/** Why: every line carries an unambiguous UTC time, e.g. 2026-11-24 06:00:01Z. */
export function formatTime(t: number | string): string {
  const d = typeof t === 'number' ? new Date(t) : new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}Z`;
}

/** Why: update sizes as people read them (520 MB, 1.2 GB). */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(1, width - 1))}…` : text;
}

/** Why: aligned columns; `maxWidths` truncates long titles so a row stays on one line. */
export function renderTable(headers: string[], rows: string[][], maxWidths: number[] = []): string[] {
  const widths = headers.map((h, i) => {
    const cap = maxWidths[i] ?? 200;
    return Math.min(cap, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  });
  const line = (cells: string[]) =>
    cells
      .map((c, i) => fit(c, widths[i]!).padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
