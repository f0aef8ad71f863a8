import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShellLine } from '../../../src/lab/ssh/shell.ts';
import { sessionCommandLine } from '../../../src/ssh/session-shell.ts';

const CLIENT = 'C:\\ProgramData\\wsus-connector\\bin\\session\\wsus-client.exe';

describe('default shells', () => {
  it('PowerShell: a quoted path followed by arguments is a ParserError naming the token', () => {
    const r = parseShellLine(`"${CLIENT}" relay --pipe x`, 'powershell');
    assert.ok('parseError' in r);
    assert.match(r.parseError, /^At line:1 char:\d+\r\n/);
    assert.match(r.parseError, /Unexpected token 'relay' in expression or statement\./);
    assert.match(r.parseError, /FullyQualifiedErrorId : UnexpectedToken/);
  });

  it('the connector line for each shell starts the same argv', () => {
    const argv = [CLIENT, 'relay', '--pipe', 'wsus-1'];
    for (const shell of ['cmd', 'powershell'] as const) {
      const r = parseShellLine(sessionCommandLine(shell, argv), shell);
      assert.deepEqual('argv' in r ? r.argv : r, argv, shell);
    }
  });

  it('refuses what PowerShell would expand inside double quotes', () => {
    assert.throws(() => sessionCommandLine('powershell', ['schtasks', '/TN', 'a$b']), /PowerShell/);
  });
});
