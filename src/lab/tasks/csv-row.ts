// One task as a row of `schtasks /Query /FO CSV /V` (28 columns in Windows' order,
// docs/windows-facts.md#schtasks-query-csv).
import { schtasksTime } from '../local-time.ts';
import type { TaskDefinition } from './task-xml-parse.ts';

export const VERBOSE_HEADER = [
  'HostName',
  'TaskName',
  'Next Run Time',
  'Status',
  'Logon Mode',
  'Last Run Time',
  'Last Result',
  'Author',
  'Task To Run',
  'Start In',
  'Comment',
  'Scheduled Task State',
  'Idle Time',
  'Power Management',
  'Run As User',
  'Delete Task If Not Rescheduled',
  'Stop Task If Runs X Hours and X Mins',
  'Schedule',
  'Schedule Type',
  'Start Time',
  'Start Date',
  'End Date',
  'Days',
  'Months',
  'Repeat: Every',
  'Repeat: Until: Time',
  'Repeat: Until: Duration',
  'Repeat: Stop If Still Running',
];

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
}

function csvLine(cells: string[]): string {
  return cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
}

function stopAfter(limit: string): string {
  const m = /^PT(\d+)H$/.exec(limit);
  return m ? `${m[1]}:00:00` : limit === 'PT0S' ? 'Disabled' : limit;
}

/** Why: the header row (printed unless /NH). */
export function headerLine(): string {
  return csvLine(VERBOSE_HEADER);
}

/** Why: the verbose data row the connector parses by position. */
export function taskRow(r: RowInput): string {
  const when = (ms: number | null) => (ms === null ? 'N/A' : schtasksTime(ms, r.timeZone));
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
    r.def.enabled ? 'Enabled' : 'Disabled',
    'Disabled',
    '',
    r.runAs,
    'Disabled',
    stopAfter(r.def.executionTimeLimit),
    'Scheduling data is not available in this format.',
    'One Time Only',
    start ? (schtasksTime(start.getTime(), r.timeZone).split(' ').slice(1).join(' ') ?? 'N/A') : 'N/A',
    start ? (schtasksTime(start.getTime(), r.timeZone).split(' ')[0] ?? 'N/A') : 'N/A',
    'N/A',
    'N/A',
    'N/A',
    'Disabled',
    'Disabled',
    'Disabled',
    'Disabled',
  ]);
}
