// One task as a row of `schtasks /Query /FO CSV /V` (28 columns in Windows' order,
// docs/windows-facts.md#schtasks-query-csv).
import { formatLocalTime, schtasksLocale, type WindowsLocale } from '../../windows-common/schtasks-locale.ts';
import type { TaskDefinition } from './task-xml-parse.ts';

export const VERBOSE_HEADER = schtasksLocale('en-US').header;

export interface RowInput {
  host: string;
  name: string;
  def: TaskDefinition;
  status: string;
  lastResult: number;
  lastRunMs: number | null;
  nextRunMs: number | null;
  timeZone: string;
  runAs: string;
  locale?: WindowsLocale;
}

function csvLine(cells: string[]): string {
  return cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
}

function stopAfter(limit: string): string {
  const m = /^PT(\d+)H$/.exec(limit);
  return m ? `${m[1]}:00:00` : limit === 'PT0S' ? 'Disabled' : limit;
}

/** Why: the header row (printed unless /NH). */
export function headerLine(locale: WindowsLocale = 'en-US'): string {
  return csvLine([...schtasksLocale(locale).header]);
}

/** Why: the verbose data row the connector parses by position. */
export function taskRow(r: RowInput): string {
  const locale = r.locale ?? 'en-US';
  const l = schtasksLocale(locale);
  const local = (ms: number) => formatLocalTime(ms, r.timeZone, locale);
  const when = (ms: number | null) => (ms === null ? 'N/A' : local(ms));
  const task = r.def.arguments ? `${r.def.command} ${r.def.arguments}` : r.def.command;
  const start = r.def.startBoundary ? new Date(r.def.startBoundary) : null;
  return csvLine([
    r.host,
    r.name,
    when(r.nextRunMs),
    r.status,
    'Background only',
    when(r.lastRunMs),
    String(r.lastResult | 0),
    r.def.author ?? 'N/A',
    task,
    r.def.workingDirectory ?? 'N/A',
    r.def.description ?? 'N/A',
    r.def.enabled ? l.enabled : l.disabled,
    'Disabled',
    '',
    r.runAs,
    'Disabled',
    stopAfter(r.def.executionTimeLimit),
    'Scheduling data is not available in this format.',
    'One Time Only',
    start ? local(start.getTime()).split(' ').slice(1).join(' ') : 'N/A',
    start ? (local(start.getTime()).split(' ')[0] ?? 'N/A') : 'N/A',
    'N/A',
    'N/A',
    'N/A',
    'Disabled',
    'Disabled',
    'Disabled',
    'Disabled',
  ]);
}
