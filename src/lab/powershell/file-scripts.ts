// powershell.exe on a lab host, for the one use the product makes of it through a shell: the file
// scripts of src/windows-common/ps-file-scripts.ts, started with -EncodedCommand (base64 of the
// UTF-16LE script: about_PowerShell_exe on Microsoft Learn), path and data on standard input.
// The lab runs exactly those scripts against the host's disk; any other script fails, so a
// product that starts sending new PowerShell is told so here first (docs/lab.md "powershell.exe").
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PS_FILE_SCRIPTS, PS_NOT_FOUND_EXIT, type PsFileOp } from '../../windows-common/ps-file-scripts.ts';
import type { ExecIo } from '../ssh/server.ts';

export interface PowerShellHost {
  /** The host-disk path of a Windows path, or null when it lies outside the disk. */
  onDisk(targetPath: string): string | null;
  /** Called before a file is written (the lab's `stage` fault listens for job files). */
  onWrite(targetPath: string): void;
}

const SWITCHES = new Set(['-noprofile', '-noninteractive', '-nologo']);

/** Why: the script of an argv, or why powershell.exe would refuse or not run it. */
export function encodedScript(args: string[]): { script: string } | { error: string } {
  let script: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = (args[i] ?? '').toLowerCase();
    if (SWITCHES.has(a)) continue;
    if (a === '-executionpolicy' && args[i + 1]) {
      i++;
      continue;
    }
    if ((a === '-encodedcommand' || a === '-enc' || a === '-e') && args[i + 1]) {
      script = Buffer.from(args[i + 1] ?? '', 'base64').toString('utf16le');
      i++;
      continue;
    }
    return { error: `the lab's powershell.exe runs only -EncodedCommand file scripts, not ${args[i]}` };
  }
  return script === undefined ? { error: 'no -EncodedCommand given' } : { script };
}

function opOf(script: string): PsFileOp | undefined {
  return (Object.keys(PS_FILE_SCRIPTS) as PsFileOp[]).find((op) => PS_FILE_SCRIPTS[op] === script);
}

function readAll(stdin: ExecIo['stdin']): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    if (stdin.readableEnded) return resolve(Buffer.alloc(0));
    stdin.on('data', (c: Buffer) => chunks.push(c));
    stdin.once('end', () => resolve(Buffer.concat(chunks)));
    stdin.once('close', () => resolve(Buffer.concat(chunks)));
    stdin.once('error', reject);
  });
}

/** The script's own work on the disk: its stdout, or an exit code with what PowerShell prints. */
function perform(op: PsFileOp, local: string, lines: string[]): { code: number; out: string } {
  if (op === 'read') {
    if (!statSync(local, { throwIfNoEntry: false })?.isFile()) return { code: PS_NOT_FOUND_EXIT, out: '' };
    return { code: 0, out: `${readFileSync(local).toString('base64')}\r\n` };
  }
  if (op === 'remove') {
    if (statSync(local, { throwIfNoEntry: false })?.isFile()) rmSync(local);
    return { code: 0, out: '' };
  }
  if (op === 'mkdir') {
    mkdirSync(local, { recursive: true });
    return { code: 0, out: '' };
  }
  const data = Buffer.concat(lines.filter((l) => l.length > 0).map((l) => Buffer.from(l, 'base64')));
  mkdirSync(dirname(local), { recursive: true });
  writeFileSync(`${local}.part`, data);
  renameSync(`${local}.part`, local);
  return { code: 0, out: `${createHash('sha256').update(data).digest('hex')}\r\n` };
}

/** Why: powershell.exe's argv and stdin → the file operation's exit code and output. */
export async function runPowerShell(args: string[], io: ExecIo, host: PowerShellHost): Promise<number> {
  const parsed = encodedScript(args);
  const op = 'script' in parsed ? opOf(parsed.script) : undefined;
  if (!op) {
    io.stderr.write(
      `${'error' in parsed ? parsed.error : 'the lab does not run this PowerShell script'}\r\n`,
    );
    return 1;
  }
  // The first line is read in the console's code page; the product sends ASCII paths only.
  const lines = (await readAll(io.stdin)).toString('latin1').split(/\r?\n/);
  const path = lines.shift() ?? '';
  const local = host.onDisk(path);
  if (local === null) {
    io.stderr.write(`Could not find a part of the path '${path}'.\r\n`);
    return 1;
  }
  if (op === 'write') host.onWrite(path);
  try {
    const r = perform(op, local, lines);
    if (r.out) io.stdout.write(r.out);
    return r.code;
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\r\n`);
    return 1;
  }
}
