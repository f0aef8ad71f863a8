import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TargetError } from '../../src/connector/ports.ts';
import {
  decodeSessionText,
  probeCodePage,
  probeShell,
  requireShell,
  sessionShellInfo,
} from '../../src/ssh/session-shell.ts';

const answer = (stdout: string) => async () => ({
  code: 0,
  stdout: Buffer.from(stdout, 'latin1'),
  stderr: Buffer.alloc(0),
});

describe('session facts', () => {
  it('tells the shell from what `echo %OS%` prints', async () => {
    assert.deepEqual(await probeShell(answer('Windows_NT\r\n')), { shell: 'cmd' });
    assert.deepEqual(await probeShell(answer('%OS%\r\n')), { shell: 'powershell' });
    const other = await probeShell(answer('bash: echo\n'));
    assert.deepEqual(other, { printed: 'bash: echo' });
    assert.throws(
      () => requireShell(other, 's'),
      (e: unknown) => e instanceof TargetError,
    );
  });

  it('reads the code page number from localized chcp output', async () => {
    assert.equal(await probeCodePage(answer('Active code page: 437\r\n')), 437);
    assert.equal(await probeCodePage(answer('Aktive Codepage: 850.\r\n')), 850);
    assert.equal(await probeCodePage(answer('')), null);
  });

  it("gives preflight the session's shell and code page, and the DefaultShell fix", () => {
    assert.deepEqual(
      { ...sessionShellInfo({ shell: 'powershell' }, 850), source: undefined },
      { shell: 'PowerShell', drivable: true, codePage: 850, decoded: true, source: undefined },
    );
    const cp932 = sessionShellInfo({ shell: 'cmd' }, 932);
    assert.equal(cp932.decoded, false);
    assert.match(cp932.fix ?? '', /437, 850, 1252, 65001/);
    const bash = sessionShellInfo({ printed: 'bash: echo' }, null);
    assert.equal(bash.drivable, false);
    assert.match(bash.fix ?? '', /HKLM\\SOFTWARE\\OpenSSH\\DefaultShell/);
  });

  it('asks for the code page only when the text is not plain ASCII', async () => {
    let asked = 0;
    const cp850 = async () => {
      asked++;
      return 850;
    };
    assert.equal(await decodeSessionText(Buffer.from('SUCCESS: done.\r\n'), cp850), 'SUCCESS: done.\r\n');
    assert.equal(asked, 0);
    // "ERREUR : La tâche" in code page 850: â is 0x83.
    const french = Buffer.from([...Buffer.from('ERREUR : La t'), 0x83, ...Buffer.from('che')]);
    assert.equal(await decodeSessionText(french, cp850), 'ERREUR : La tâche');
    assert.equal(asked, 1);
    // chcp printed no number: read as UTF-8, as before the probe could say "unknown".
    assert.equal(await decodeSessionText(Buffer.from('Prêt', 'utf8'), async () => null), 'Prêt');
  });
});
