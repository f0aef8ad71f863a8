// The job output's header block for one server: what this run will do, in the operator's words.
import { formatDuration } from '../model/duration.ts';
import type { RunContext } from './run-context.ts';
import type { TargetRunOptions } from './run-options.ts';

/** Why: the selection in one line, so a 3 a.m. reader sees what was asked for. */
export function selectionText(o: TargetRunOptions): string {
  const s = o.selection;
  const parts: string[] = [];
  if (s.include) parts.push(`include ${s.include.length ? s.include.join(' ') : '(empty)'}`);
  if (s.exclude.length) parts.push(`exclude ${s.exclude.join(' ')}`);
  if (s.categories) parts.push(`categories ${s.categories.join(', ')}`);
  if (s.severities) parts.push(`severities ${s.severities.join(', ')}`);
  if (s.titleRegex !== undefined) parts.push(`title /${s.titleRegex}/i`);
  if (s.skipOptional) parts.push('skip optional');
  return parts.length ? parts.join('; ') : 'all applicable updates';
}

/** Why: the first thing printed for a server: every setting that shapes the run. */
export function emitHeader(ctx: RunContext, now: number): void {
  const o = ctx.options;
  const header: [string, string][] = [
    ['server', ctx.server],
    ['mode', o.mode],
    ['restart', o.restart ? 'yes' : 'no'],
    ['selection', selectionText(o)],
    ['source', o.source],
    ['client', o.stageClient ? `${o.clientPath} (staged from a local file)` : o.clientPath],
    ['max cycles', String(o.maxCycles)],
    ['reboot timeout', formatDuration(o.rebootTimeoutMs)],
    ['start', o.startDelayMs > 0 ? `${formatDuration(o.startDelayMs)} after registering` : 'at once'],
    ['exit codes', o.exitCodes],
    ...(ctx.deps.header ?? []),
  ];
  ctx.emit({ type: 'start', server: ctx.server, time: now, header });
}
