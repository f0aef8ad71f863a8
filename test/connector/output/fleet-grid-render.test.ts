import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectorEvent } from '../../../src/connector/events.ts';
import { renderGrid } from '../../../src/connector/output/fleet-grid-render.ts';
import { applyGridEvent, gridRow } from '../../../src/connector/output/fleet-grid-state.ts';

const client = (server: string, kind: string, data: Record<string, unknown>): ConnectorEvent =>
  ({
    type: 'client',
    server,
    cycle: 1,
    event: { seq: 0, time: '', level: 'info', kind, message: '', data },
  }) as ConnectorEvent;

describe('the fleet grid', () => {
  it('shows installing n/m with %, puts a failure on top, then the longest running', () => {
    const rows = ['a', 'b', 'c'].map((s) => gridRow(s, 1));
    const [a, b, c] = rows as [
      ReturnType<typeof gridRow>,
      ReturnType<typeof gridRow>,
      ReturnType<typeof gridRow>,
    ];
    applyGridEvent(a, { type: 'start', server: 'a', time: 1000, header: [] });
    applyGridEvent(b, { type: 'start', server: 'b', time: 0, header: [] });
    applyGridEvent(b, client('b', 'install.start', { ids: ['x', 'y'] }));
    applyGridEvent(b, client('b', 'install.progress', { index: 1, percent: 45 }));
    applyGridEvent(c, { type: 'start', server: 'c', time: 2000, header: [] });
    applyGridEvent(c, {
      type: 'done',
      server: 'c',
      time: 3000,
      result: { report: { error: { kind: 'reboot-timeout' } }, resultCode: -1 },
    } as unknown as ConnectorEvent);
    const lines = renderGrid(rows, { rows: 20, columns: 120, now: 5000 }).split('\n');
    assert.equal(lines[0], '3 servers: failed 1, connecting 1, installing 1');
    assert.match(lines[2]!, /^c\s+1\s+failed, code -1/);
    assert.match(lines[3]!, /^b\s+1\s+installing 2\/2 45%/);
    assert.match(lines[4]!, /^a\s+1\s+connecting/);
  });

  it('fits the terminal height with a "+N more" line', () => {
    const rows = Array.from({ length: 100 }, (_, i) => gridRow(`s${i}`, 1));
    const lines = renderGrid(rows, { rows: 20, columns: 80, now: 0 }).split('\n');
    assert.ok(lines.length <= 19, `${lines.length} lines`);
    assert.equal(lines.at(-1), `+${100 - (lines.length - 3)} more`);
  });
});
