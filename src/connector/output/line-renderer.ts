// Turns the orchestration's events into the job output a person reads at 3 a.m.: a header, the
// client's activity log with timestamps, a table per cycle, reboots with durations, a summary.
// Pure (events in, lines out) so plain output, the TTY display and tests share it.
import { formatDuration } from '../../model/duration.ts';
import { describeResultCode } from '../../model/result-codes.ts';
import type { ActivityEvent } from '../../protocol/messages.ts';
import type { ConnectorEvent } from '../events.ts';
import type { TargetResult } from '../target-result.ts';
import { cycleTable } from './cycle-table.ts';
import { formatTime } from './format.ts';

const LEVEL_MARK = { info: '', warn: 'WARNING: ', error: 'ERROR: ' } as const;

/** Progress events arrive every 10 %; the log keeps the half-way and done marks only. */
function keepProgress(e: ActivityEvent): boolean {
  const p = Number(e.data?.percent ?? 0);
  return Math.floor(p) === 50 || p >= 100;
}

export class LineRenderer {
  /** Why: all lines for one event; the summary block ends with `Result code: N` unless suppressed. */
  render(e: ConnectorEvent, opts: { resultLine?: boolean } = {}): string[] {
    switch (e.type) {
      case 'start': {
        const width = Math.max(...e.header.map(([k]) => k.length));
        return [
          `==== wsus-connector: ${e.server} (${formatTime(e.time)}) ====`,
          ...e.header.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
        ];
      }
      case 'step':
        return [`${formatTime(e.time)}  [connector] ${LEVEL_MARK[e.level]}${e.text}`];
      case 'cycle.start':
        return ['', `---- Cycle ${e.cycle} ---- (${e.dir})`];
      case 'client': {
        const ev = e.event;
        if (ev.kind.endsWith('.progress') && !keepProgress(ev)) return [];
        return [`${formatTime(ev.time)}  [client]    ${LEVEL_MARK[ev.level]}${ev.message}`];
      }
      case 'cycle.end': {
        const s = e.summary;
        const count = (st: string) => s.updates.filter((u) => u.status === st).length;
        const tail = s.willReboot
          ? 'reboot required: the client reboots the server after the acknowledgement'
          : s.rebootRequired
            ? 'reboot required, not allowed (no --restart)'
            : 'no reboot needed';
        return [
          `Cycle ${e.cycle} updates${e.fromLogFile ? ' (read back from log.jsonl)' : ''}:`,
          ...cycleTable(s).map((l) => `  ${l}`),
          `Cycle ${e.cycle}: ${count('installed')} installed, ${count('failed')} failed, ` +
            `${count('available') + count('downloaded')} pending; ${tail}`,
        ];
      }
      case 'reboot': {
        const at = `${formatTime(e.time)}  [reboot]    `;
        if (e.phase === 'waiting') return [`${at}waiting for the server to go down and come back`];
        if (e.phase === 'down') return [`${at}server went down after ${formatDuration(e.elapsedMs)}`];
        if (e.phase === 'up') {
          return [
            `${at}server is back after ${formatDuration(e.elapsedMs)}, new boot time ${e.bootTime ?? '?'}`,
          ];
        }
        return [`${at}server ready for the next cycle: the reboot took ${formatDuration(e.elapsedMs)}`];
      }
      case 'done':
        return summaryLines(e.result, opts.resultLine ?? true);
    }
  }
}

/** Why: the per-server summary block; its last line is `Result code: N`. */
export function summaryLines(r: TargetResult, resultLine = true): string[] {
  const rep = r.report;
  const installed = rep.updates.filter((u) => u.status === 'installed').length;
  const failed = rep.updates.filter((u) => u.status === 'failed');
  const pending = rep.updates.filter((u) => u.status === 'available' || u.status === 'downloaded').length;
  const reboots = rep.cycles.filter((c) => c.rebooted);
  const rebootText = reboots.length
    ? `${reboots.length} (${reboots.map((c) => (c.rebootSeconds !== undefined ? formatDuration(c.rebootSeconds * 1000) : '?')).join(', ')})`
    : '0';
  const started = Date.parse(rep.startedAt);
  const finished = Date.parse(rep.finishedAt);
  const lines = [
    '',
    `==== Summary: ${rep.server} ====`,
    `  run id      ${rep.runId ?? '-'}`,
    `  duration    ${formatDuration(finished - started)} (${formatTime(started)} → ${formatTime(finished)})`,
    `  cycles      ${rep.cycles.length}`,
    `  updates     ${installed} installed, ${failed.length} failed, ${pending} pending`,
    `  reboots     ${rebootText}`,
  ];
  for (const f of failed) {
    lines.push(
      `  FAILED      ${[f.kb ?? f.id, f.hresult, f.hresultName, f.title].filter(Boolean).join(' ')}`,
    );
  }
  for (const w of rep.warnings) lines.push(`  WARNING     ${w}`);
  if (rep.error) lines.push(`  ERROR       ${rep.error.kind}: ${rep.error.message}`);
  lines.push(`  result      ${rep.resultCode}: ${describeResultCode(rep.resultCode)}`);
  lines.push(`  exit code   ${rep.exitCode} (${rep.exitCodes})`);
  if (resultLine) lines.push(`Result code: ${rep.resultCode}`);
  return lines;
}
