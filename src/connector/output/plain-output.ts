// Plain-line job output (not a terminal, or tests): every event's lines, optionally prefixed with
// the server name in a multi-server run.
import type { ConnectorEvent } from '../events.ts';
import { LineRenderer } from './line-renderer.ts';

/** Why: the whole job output of a finished single-server run, as text (tests, bench). */
export function renderPlain(events: readonly ConnectorEvent[]): string {
  const r = new LineRenderer();
  return `${events.flatMap((e) => r.render(e)).join('\n')}\n`;
}
