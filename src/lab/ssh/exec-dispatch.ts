// What a lab host does with an exec request: its default shell's view of the line, then schtasks,
// the client, powershell.exe's file scripts, the session probes (`chcp`, `echo %OS%`), or Windows' "is not recognized" error —
// the only commands docs/target-commands.md uses. An SSH session authenticated by key has no
// network credentials, so a program on a share is "Access is denied." (docs/lab.md).
import { encodeCodePage } from '../../windows-common/code-page.ts';
import type { SchtasksLocale } from '../../windows-common/schtasks-locale.ts';
import type { ExecIo } from './server.ts';
import { type LabShell, parseShellLine } from './shell.ts';

export const STAGED_CLIENT = 'C:\\ProgramData\\wsus-connector\\bin\\wsus-client.exe';

export interface DispatchTargets {
  /** The computer name `hostname` prints. */
  hostName: string;
  /** The inventory's client path for this host (e.g. \\labshare\wsus\wsus-client.exe). */
  clientPath: string;
  shell: LabShell;
  locale: SchtasksLocale;
  codePage: number;
  /** False: the session is a network logon and reaches no share. */
  networkCredentials: boolean;
  /** Does a C:\ path exist on the host's disk? */
  exists(targetPath: string): Promise<boolean>;
  schtasks(
    args: string[],
    readAnswer: () => Promise<string | null>,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  client(args: string[], io: ExecIo): Promise<number>;
  icacls(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** powershell.exe with these arguments (src/lab/powershell/file-scripts.ts). */
  powershell(args: string[], io: ExecIo): Promise<number>;
}

/** Why: the client is reached by its inventory path, the staged copy, or any ...\wsus-client.exe. */
export function isClientPath(program: string, clientPath: string): boolean {
  const p = program.toLowerCase();
  return (
    p === clientPath.toLowerCase() ||
    p === STAGED_CLIENT.toLowerCase() ||
    /(^|\\)wsus-client(\.exe)?$/.test(p)
  );
}

/** Why: a Y/N answer as schtasks reads it: one line of standard input, null at end of input. */
export function readLine(stdin: ExecIo['stdin']): () => Promise<string | null> {
  return () =>
    new Promise((resolve) => {
      let buf = '';
      const done = (v: string | null) => {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.off('close', onEnd);
        resolve(v);
      };
      const onData = (c: Buffer) => {
        buf += c.toString('latin1');
        const nl = buf.indexOf('\n');
        if (nl >= 0) done(buf.slice(0, nl));
      };
      const onEnd = () => done(buf === '' ? null : buf);
      if (stdin.readableEnded) return resolve(null);
      stdin.on('data', onData);
      stdin.once('end', onEnd);
      stdin.once('close', onEnd);
    });
}

/** Why: one exec request → an exit code, with output written the way the program would. */
export async function dispatchExec(line: string, io: ExecIo, t: DispatchTargets): Promise<number> {
  const out = (text: string, to = io.stdout) => {
    if (text) to.write(encodeCodePage(text, t.codePage));
  };
  const parsed = parseShellLine(line, t.shell);
  if ('parseError' in parsed) {
    out(parsed.parseError, io.stderr);
    return 1;
  }
  // powershell -c ends with 1 when the last command failed, whatever its own exit code.
  const code = (c: number) => (t.shell === 'powershell' && c !== 0 ? 1 : c);
  const argv = parsed.argv;
  const program = argv[0] ?? '';
  const name = program.toLowerCase();
  if (name === 'schtasks' || name === 'schtasks.exe' || name.endsWith('\\schtasks.exe')) {
    const r = await t.schtasks(argv.slice(1), readLine(io.stdin));
    out(r.stdout);
    out(r.stderr, io.stderr);
    return code(r.code);
  }
  if (name === 'icacls' || name === 'icacls.exe' || name.endsWith('\\icacls.exe')) {
    const r = await t.icacls(argv.slice(1));
    out(r.stdout);
    out(r.stderr, io.stderr);
    return code(r.code);
  }
  if (name === 'powershell' || name === 'powershell.exe' || name.endsWith('\\powershell.exe'))
    return code(await t.powershell(argv.slice(1), io));
  if ((name === 'hostname' || name === 'hostname.exe') && argv.length === 1) {
    out(`${t.hostName}\r\n`);
    return 0;
  }
  if ((name === 'chcp' || name === 'chcp.com') && argv.length === 1) {
    out(`${t.locale.chcp(t.codePage)}\r\n`);
    return 0;
  }
  if (name === 'echo' && argv[1] === '%OS%' && argv.length === 2) {
    out(t.shell === 'cmd' ? 'Windows_NT\r\n' : '%OS%\r\n');
    return 0;
  }
  if (program && isClientPath(program, t.clientPath)) {
    if (program.startsWith('\\\\')) {
      if (!t.networkCredentials) {
        out(`${t.locale.cmdDenied}\r\n`, io.stderr);
        return 1;
      }
    } else if (/^[A-Za-z]:\\/.test(program) && !(await t.exists(program))) {
      out(`${t.locale.notRecognized(program)}\r\n`, io.stderr);
      return 1;
    }
    return code(await t.client(argv.slice(1), io));
  }
  const shown = program || line.trim().split(/\s+/)[0]?.replace(/^"|"$/g, '') || '';
  out(`${t.locale.notRecognized(shown)}\r\n`, io.stderr);
  return 1;
}
