// Plain-line job output (not a terminal, or tests): every event's lines, optionally prefixed with
// the server name in a multi-server run.
import type { ConnectorEvent } from '../events.ts';
import { LineRenderer } from './line-renderer.ts';

/** Why: the whole job output of a finished single-server run, as text (tests, bench). */
export function renderPlain(events: readonly ConnectorEvent[]): string {
  const r = new LineRenderer();
  return `${events.flatMap((e) => r.render(e)).join('\n')}\n`;
}

/** Why: the line sink for live plain output; `prefix` adds "srv01 | " for multi-server runs. */
export function plainLineSink(write: (text: string) => void, prefix: boolean) {
  const r = new LineRenderer();
  return (e: ConnectorEvent) => {
    for (const line of r.render(e, { resultLine: !prefix })) {
      write(`${prefix ? `${e.server} | ` : ''}${line}\n`);
    }
  };
}
