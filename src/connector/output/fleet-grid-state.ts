// One row per server for the live fleet grid: which step it is in (connecting, staging,
// searching, downloading n/m, installing n/m with %, rebooting, waiting for servicing, done with
// its code), its wave, cycle and elapsed time, kept in step with the connector's events.
import type { ConnectorEvent } from '../events.ts';

export type GridStep =
  | 'waiting'
  | 'connecting'
  | 'staging'
  | 'searching'
  | 'downloading'
  | 'installing'
  | 'rebooting'
  | 'servicing'
  | 'done'
  | 'failed';

export interface GridRow {
  server: string;
  wave: number;
  step: GridStep;
  /** What the step column shows, e.g. "installing 1/2 45%". */
  detail: string;
  cycle: number;
  startedAt: number | null;
  endedAt: number | null;
  /** Updates in the current download or install call (the m of n/m). */
  batch: number;
}

/** Why: a fresh row for a server that has not started yet. */
export function gridRow(server: string, wave: number): GridRow {
  return {
    server,
    wave,
    step: 'waiting',
    detail: 'waiting',
    cycle: 0,
    startedAt: null,
    endedAt: null,
    batch: 0,
  };
}

function set(row: GridRow, step: GridStep, detail: string = step): void {
  row.step = step;
  row.detail = detail;
}

function onClient(row: GridRow, kind: string, data: Record<string, unknown> | undefined): void {
  const ids = data?.ids;
  if (kind === 'search.start') set(row, 'searching');
  else if (kind === 'download.start' || kind === 'install.start') {
    row.batch = Array.isArray(ids) ? ids.length : 1;
    const step = kind === 'download.start' ? 'downloading' : 'installing';
    set(row, step, `${step} 1/${row.batch}`);
  } else if (kind === 'download.progress' || kind === 'install.progress') {
    const step = kind === 'download.progress' ? 'downloading' : 'installing';
    const n = Number(data?.index ?? 0) + 1;
    set(row, step, `${step} ${n}/${Math.max(n, row.batch)} ${Math.round(Number(data?.percent ?? 0))}%`);
  } else if (kind === 'servicing.in-progress') set(row, 'servicing', 'waiting for servicing');
}

/** Why: moves a server's row on with one of its events. */
export function applyGridEvent(row: GridRow, e: ConnectorEvent): void {
  switch (e.type) {
    case 'start':
      row.startedAt = e.time;
      set(row, 'connecting');
      return;
    case 'cycle.start':
      row.cycle = e.cycle;
      set(row, 'staging');
      return;
    case 'client':
      onClient(row, e.event.kind, e.event.data as Record<string, unknown> | undefined);
      return;
    case 'step':
      if (e.text.startsWith('servicing (CBS) still in progress'))
        set(row, 'servicing', 'waiting for servicing');
      return;
    case 'reboot':
      set(row, 'rebooting', e.phase === 'waiting' ? 'rebooting' : `rebooting (${e.phase})`);
      return;
    case 'done':
      row.endedAt = e.time;
      row.startedAt ??= e.time;
      set(
        row,
        e.result.report.error ? 'failed' : 'done',
        `${e.result.report.error ? 'failed' : 'done'}, code ${e.result.resultCode}`,
      );
      return;
    default:
      return;
  }
}
