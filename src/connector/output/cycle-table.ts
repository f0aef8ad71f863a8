// The per-cycle table of updates (docs/usage.md#output): KB, title, size, result, HRESULT name.
import { formatHresult } from '../../model/hresult.ts';
import type { RunSummary } from '../../protocol/messages.ts';
import { formatSize, renderTable } from './format.ts';

const ORDER = { failed: 0, installed: 1, uninstalled: 1, downloaded: 2, available: 3, filtered: 4 } as const;

/** Why: one readable table per cycle; failures first, each with its HRESULT and name. */
export function cycleTable(summary: RunSummary): string[] {
  if (summary.updates.length === 0) return ['(no applicable updates)'];
  const rows = [...summary.updates]
    .sort((a, b) => ORDER[a.status] - ORDER[b.status] || (a.kb ?? a.id).localeCompare(b.kb ?? b.id))
    .map((u) => {
      const result =
        u.status === 'filtered'
          ? `filtered (${u.filteredBy ?? '?'})`
          : u.status === 'installed' && u.rebootRequired
            ? 'installed, reboot'
            : u.status;
      const hr =
        u.status === 'failed' && u.hresult !== undefined
          ? `${formatHresult(u.hresult)} ${u.hresultName ?? ''}`.trim()
          : '';
      return [u.kb ?? u.id, u.title, formatSize(u.sizeBytes), result, hr];
    });
  return renderTable(['KB', 'Title', 'Size', 'Result', 'HRESULT'], rows, [12, 60, 9, 18, 44]);
}
