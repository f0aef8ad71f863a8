// The SMB session with explicit credentials: the password goes to smb-connect.ps1 on stdin, never
// in argv, and every Win32 error the script reports becomes a TargetError that names it. The last
// case runs the real script under real pwsh through the real ExecFn (stdin included); the Pester
// suite (test/powershell/smb-connect.Tests.ps1) covers the script case by case.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TargetError } from '../../src/connector/ports.ts';
import { createExec, type ExecFn } from '../../src/local/exec.ts';
import { compactScript } from '../../src/windows/powershell-script.ts';
import { connectIpc, smbConnectError, smbConnectScriptText } from '../../src/windows/smb-connect.ts';
import { findPwsh } from './wua/pwsh.ts';

const creds = { user: 'CORP\\patcher', password: 'pa ss"w%rd' };

function outcome(code: number | null, message: string, exitCode = code === 0 ? 0 : 1): ExecFn {
  return async () => ({ stdout: `${JSON.stringify({ code, message })}\r\n`, stderr: '', exitCode });
}

async function failure(exec: ExecFn): Promise<TargetError> {
  try {
    await connectIpc({ exec, server: 'srv01', credentials: creds, timeoutMs: 1000, log: () => {} });
  } catch (err) {
    assert.ok(err instanceof TargetError);
    return err;
  }
  assert.fail('connectIpc resolved');
}

test('the script goes compacted as -EncodedCommand; the password only on stdin', async () => {
  const seen: { args: string[]; input?: string }[] = [];
  const exec: ExecFn = async (_file, args, opts) => {
    seen.push({ args, ...(opts?.input === undefined ? {} : { input: opts.input }) });
    return { stdout: '{"code":0,"message":"connected"}', stderr: '', exitCode: 0 };
  };
  const logged: string[] = [];
  await connectIpc({
    exec,
    server: 'srv01',
    credentials: creds,
    timeoutMs: 1000,
    log: (l) => logged.push(l),
  });
  const [call] = seen;
  assert.equal(
    Buffer.from(call?.args.at(-1) ?? '', 'base64').toString('utf16le'),
    compactScript(smbConnectScriptText()),
  );
  assert.ok(!call?.args.join(' ').includes('w%rd'));
  assert.equal(call?.input, '\\\\srv01\\IPC$\nCORP\\patcher\npa ss"w%rd\n');
  assert.ok(!logged.join('\n').includes('w%rd'));
});

test('Win32 errors map to the kinds the connector acts on, each naming the code', async () => {
  const cases: [number, string][] = [
    [1326, 'auth'],
    [86, 'auth'],
    [1909, 'auth'],
    [53, 'unreachable'],
    [67, 'unreachable'],
    [5, 'access-denied'],
    [1208, 'command-failed'],
  ];
  for (const [code, kind] of cases) {
    const e = await failure(outcome(code, `message ${code}`));
    assert.equal(e.kind, kind, `Win32 error ${code}`);
    assert.match(
      e.message,
      new RegExp(`\\\\\\\\srv01\\\\IPC\\$ failed with Win32 error ${code}: message ${code}`),
    );
    assert.equal(e.exitCode, code);
  }
});

test('another session to the server under a different user is named, with the fix', async () => {
  const e = await failure(outcome(1219, 'Multiple connections to a server ... are not allowed.'));
  assert.equal(e.kind, 'auth');
  assert.match(e.message, /another user: remove it with `net use \\\\srv01\\IPC\$ \/delete`/);
});

test('a powershell.exe that prints no outcome, or cannot start, is a command failure saying so', async () => {
  const silent = await failure(async () => ({ stdout: '', stderr: 'Add-Type : boom\r\nmore', exitCode: 1 }));
  assert.equal(silent.kind, 'command-failed');
  assert.match(silent.message, /exited 1 without an outcome: Add-Type : boom$/);
  const dead = await failure(async () => ({
    stdout: '',
    stderr: '',
    exitCode: null,
    error: 'timed out after 1s',
  }));
  assert.match(dead.message, /IPC\$ failed: timed out after 1s/);
  // A success code with a non-zero exit (or the reverse) is not success.
  assert.equal((await failure(outcome(0, 'connected', 1))).kind, 'command-failed');
  assert.equal(smbConnectError('\\\\s\\IPC$', { code: null, message: 'x' }, 2).kind, 'command-failed');
});

test('a user or password with a line break is refused before anything runs', async () => {
  let ran = false;
  const exec: ExecFn = async () => {
    ran = true;
    return { stdout: '', stderr: '', exitCode: 0 };
  };
  const bad = { user: 'u', password: 'first\nsecond' };
  await assert.rejects(
    connectIpc({ exec, server: 'srv01', credentials: bad, timeoutMs: 1000, log: () => {} }),
    (e: unknown) => e instanceof TargetError && e.kind === 'auth' && /line break/.test(e.message),
  );
  assert.equal(ran, false);
});

const pwsh = findPwsh();

test('the real script under real pwsh, fed by the real ExecFn, reads all three lines and reaches the call', {
  skip: pwsh ? false : 'pwsh is not installed (scripts/install-powershell.sh)',
}, async () => {
  const e = await (async () => {
    try {
      await connectIpc({
        exec: createExec(),
        powershell: pwsh as string,
        server: 'srv01',
        credentials: creds,
        timeoutMs: 120_000,
        log: () => {},
      });
    } catch (err) {
      return err as TargetError;
    }
    return null;
  })();
  // Off Windows the P/Invoke cannot load mpr.dll: the C# compiled, the input was read whole (a
  // short read would say "expected three input lines"), and the call was made.
  assert.ok(e instanceof TargetError);
  assert.equal(e.kind, 'command-failed');
  assert.match(e.message, /WNetAddConnection2W could not be called: /);
});
