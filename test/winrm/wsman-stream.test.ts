// A relay stream the connector gives up on sends ctrl_c (MS-WSMV 3.1.4.12) and then terminate.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WsmanShell } from '../../src/winrm/wsman-shell.ts';
import { WsmanShell as RealShell } from '../../src/winrm/wsman-shell.ts';
import { commandStream } from '../../src/winrm/wsman-stream.ts';

describe('winrm command stream', () => {
  it('destroying the stream signals ctrl_c then terminate to the running command', async () => {
    const signals: string[] = [];
    const shell = {
      signal: async (_id: string, code = 'terminate') => {
        signals.push(code);
      },
      receive: () => new Promise(() => {}),
      send: async () => {},
    } as unknown as WsmanShell;
    // abandon is the real method, over the recording signal.
    (shell as unknown as { abandon: RealShell['abandon'] }).abandon = RealShell.prototype.abandon;
    let ended = false;
    const s = commandStream(shell, 'C1', () => {
      ended = true;
    });
    s.destroy();
    for (let i = 0; i < 50 && !ended; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(signals, ['ctrlC', 'terminate']);
    assert.ok(ended);
  });
});
