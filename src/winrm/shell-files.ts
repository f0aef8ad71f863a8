// Files on the target through the shell, which has no file protocol: the PowerShell scripts of
// src/windows-common/ps-file-scripts.ts, the path and data on their standard input. A write is
// checked against the SHA-256 the script computed of what it wrote (docs/target-commands.md).
import { createHash } from 'node:crypto';
import { TargetError } from '../connector/ports.ts';
import { PS_NOT_FOUND_EXIT, type PsFileOp, psFileArgv } from '../windows-common/ps-file-scripts.ts';
import { toCmdLine } from '../windows-common/schtasks-command.ts';
import type { CommandResult } from './wsman-shell.ts';

/** Runs one command line with these bytes as its whole standard input. */
export type RunWithInput = (line: string, stdin: Buffer, allowanceMs: number) => Promise<CommandResult>;

/** Raw bytes per base64 line: a line's decode is one buffer in the script's memory. */
const LINE_BYTES = 48 * 1024;

const lines = new Map<PsFileOp, string>();

function lineOf(op: PsFileOp): string {
  let l = lines.get(op);
  if (!l) {
    l = toCmdLine(psFileArgv(op));
    lines.set(op, l);
  }
  return l;
}

function pathLine(server: string, path: string): Buffer {
  // The script reads its first line in the console's input code page: only ASCII reads alike in all.
  if (!/^[\x20-\x7e]+$/.test(path))
    throw new TargetError(
      'command-failed',
      `${server}: ${path}: only ASCII paths can be passed to the file script`,
    );
  return Buffer.from(`${path}\r\n`, 'latin1');
}

function failure(server: string, verb: string, path: string, r: CommandResult): TargetError {
  const msg = (r.stderr.length > 0 ? r.stderr : r.stdout).toString('utf8').trim().split(/\r?\n/)[0] ?? '';
  return new TargetError(
    'access-denied',
    `${server}: cannot ${verb} ${path} (exit ${r.code}): ${msg.slice(0, 200)}`,
  );
}

/** Why: the data as base64 lines after the path; the script's SHA-256 must be the data's. */
export async function shellWrite(
  run: RunWithInput,
  server: string,
  path: string,
  data: Buffer,
): Promise<void> {
  const parts: Buffer[] = [pathLine(server, path)];
  for (let at = 0; at < data.length; at += LINE_BYTES)
    parts.push(Buffer.from(`${data.subarray(at, at + LINE_BYTES).toString('base64')}\r\n`, 'latin1'));
  // One second per 64 KiB beyond the command's own bound, as the ssh transport allows its writes.
  const r = await run(lineOf('write'), Buffer.concat(parts), Math.ceil(data.length / 65_536) * 1000);
  if (r.code !== 0) throw failure(server, 'write', path, r);
  const want = createHash('sha256').update(data).digest('hex');
  const got = r.stdout.toString('latin1').trim().toLowerCase();
  if (got !== want)
    throw new TargetError(
      'unreachable',
      `${server}: the write of ${path} arrived with SHA-256 ${got.slice(0, 16) || '(none)'}…, not ${want.slice(0, 16)}…`,
    );
}

/** Why: a file's bytes, or null when the read script says it does not exist. */
export async function shellRead(run: RunWithInput, server: string, path: string): Promise<Buffer | null> {
  const r = await run(lineOf('read'), pathLine(server, path), 0);
  if (r.code === PS_NOT_FOUND_EXIT) return null;
  if (r.code !== 0) throw failure(server, 'read', path, r);
  return Buffer.from(r.stdout.toString('latin1').trim(), 'base64');
}

/** Why: remove or mkdir; a file already gone or a folder already there is success. */
export async function shellFileOp(
  run: RunWithInput,
  server: string,
  op: 'remove' | 'mkdir',
  path: string,
): Promise<void> {
  const r = await run(lineOf(op), pathLine(server, path), 0);
  if (r.code !== 0) throw failure(server, op === 'remove' ? 'remove' : 'make the folder', path, r);
}
