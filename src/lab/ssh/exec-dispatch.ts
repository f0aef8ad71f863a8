// What a lab host does with an exec request: cmd.exe's view of the line, then schtasks, the
// client, or Windows' "is not recognized" error — the only commands docs/target-commands.md uses.
import { tokenizeCmdLine } from './cmd-line.ts';
import type { ExecIo } from './server.ts';

export const STAGED_CLIENT = 'C:\\ProgramData\\wsus-connector\\bin\\wsus-client.exe';

export interface DispatchTargets {
  /** The inventory's client path for this host (e.g. \\labshare\wsus\wsus-client.exe). */
  clientPath: string;
  schtasks(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  client(args: string[], io: ExecIo): Promise<number>;
  icacls(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
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

/** Why: one exec request → an exit code, with output written the way the program would. */
export async function dispatchExec(line: string, io: ExecIo, t: DispatchTargets): Promise<number> {
  const argv = tokenizeCmdLine(line);
  const program = argv[0] ?? '';
  const name = program.toLowerCase();
  if (name === 'schtasks' || name === 'schtasks.exe' || name.endsWith('\\schtasks.exe')) {
    const r = await t.schtasks(argv.slice(1));
    if (r.stdout) io.stdout.write(r.stdout);
    if (r.stderr) io.stderr.write(r.stderr);
    return r.code;
  }
  if (name === 'icacls' || name === 'icacls.exe' || name.endsWith('\\icacls.exe')) {
    const r = await t.icacls(argv.slice(1));
    if (r.stdout) io.stdout.write(r.stdout);
    if (r.stderr) io.stderr.write(r.stderr);
    return r.code;
  }
  if (program && isClientPath(program, t.clientPath)) return t.client(argv.slice(1), io);
  const shown = line.trim().split(/\s+/)[0]?.replace(/^"|"$/g, '') ?? '';
  io.stderr.write(
    `'${shown}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`,
  );
  return 1;
}
