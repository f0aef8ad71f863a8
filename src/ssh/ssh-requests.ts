// The requests the ssh transport sends on one connection, each bounded by a deadline: exec of a
// command line, opening the relay channel, and the SFTP file operations. On a deadline the
// connection is dropped (`kill`) so the next step reconnects instead of queueing behind it.
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { TargetError } from '../connector/ports.ts';
import { withDeadline } from './bounded.ts';
import { sftpParents, toSftpPath } from './paths.ts';
import type { RawResult } from './session-shell.ts';
import { getFile, NO_SUCH_FILE, putFile, type SftpError, sendMkdirs } from './sftp-pipeline.ts';
import type { SshConnection } from './ssh-connect.ts';

export type ExecResult = RawResult;

/** What a request needs from its connection owner. */
export interface RequestContext {
  server: string;
  conn: SshConnection;
  /** Drops this connection (it is stuck or dead). */
  kill(): void;
  /**
   * The folders this target's SFTP requests made. Kept across connections: a reboot keeps its
   * folders, and a folder removed behind the connector's back fails a write with "no such file",
   * after which the folders are made again.
   */
  madeDirs: Set<string>;
}

/** Why: one command's output and exit code; a session closed without an exit status is a drop. */
export function execOn(ctx: RequestContext, cmd: string, ms: number): Promise<ExecResult> {
  let ch: ClientChannel | null = null;
  return withDeadline<ExecResult>(
    `${ctx.server}: "${cmd}"`,
    ms,
    (settle) =>
      ctx.conn.exec(cmd, (err, channel) => {
        if (err) return settle(new TargetError('unreachable', `${ctx.server}: exec failed: ${err.message}`));
        ch = channel;
        // Standard input closed at once: a command that prompts (schtasks' Y/N) reads end of input.
        channel.end();
        const out: Buffer[] = [];
        const errs: Buffer[] = [];
        let code: number | null = null;
        channel.on('data', (c: Buffer) => out.push(c));
        channel.stderr.on('data', (c: Buffer) => errs.push(c));
        channel.on('error', () => {});
        channel.on('exit', (c: number | null) => {
          code = c;
        });
        channel.on('close', () => {
          if (code === null)
            return settle(
              new TargetError('unreachable', `${ctx.server}: the connection dropped during "${cmd}"`),
            );
          settle(null, { code, stdout: Buffer.concat(out), stderr: Buffer.concat(errs) });
        });
      }),
    () => {
      try {
        (ch as ClientChannel | null)?.close();
      } catch {}
      ctx.kill();
    },
    ctx.conn,
  );
}

/** Why: the relay channel must open within the bound too; its stream is the caller's after that. */
export function openChannel(ctx: RequestContext, cmd: string, ms: number): Promise<ClientChannel> {
  return withDeadline<ClientChannel>(
    `${ctx.server}: relay`,
    ms,
    (settle) =>
      ctx.conn.exec(cmd, (err, ch) => {
        if (err) return settle(new TargetError('unreachable', `${ctx.server}: relay: ${err.message}`));
        ch.on('error', () => {});
        settle(null, ch);
      }),
    () => ctx.kill(),
    ctx.conn,
  );
}

/** Why: the SFTP subsystem of this connection, opened within the bound. */
export function openSftp(ctx: RequestContext, ms: number): Promise<SFTPWrapper> {
  return withDeadline<SFTPWrapper>(
    `${ctx.server}: SFTP`,
    ms,
    (settle) =>
      ctx.conn.sftp((err, s) => {
        if (err) return settle(new TargetError('unreachable', `${ctx.server}: SFTP: ${err.message}`));
        s.on('error', () => {});
        settle(null, s);
      }),
    () => ctx.kill(),
    ctx.conn,
  );
}

type SftpErr = SftpError | null | undefined;

/** Why: a dead channel reports a failure with no SFTP status code; that is a drop, not a denial. */
function sftpFailure(server: string, verb: string, path: string, err: SftpError): TargetError {
  if (typeof err.code !== 'number')
    return new TargetError('unreachable', `${server}: cannot ${verb} ${path}: ${err.message}`);
  return new TargetError('access-denied', `${server}: cannot ${verb} ${path}: ${err.message}`);
}

/**
 * Why: mkdir -p over SFTP in one round trip, skipping the folders this target already made; an
 * existing folder is fine. A stat after the mkdirs (pipelined behind them) says whether the folder
 * is there now: a mkdir that failed for any other reason leaves it missing.
 */
export function sftpMakeFolder(
  ctx: RequestContext,
  sftp: SFTPWrapper,
  path: string,
  ms: number,
): Promise<void> {
  const p = toSftpPath(path);
  const missing = [...sftpParents(p), p].filter((d) => !ctx.madeDirs.has(d));
  if (missing.length === 0) return Promise.resolve();
  return withDeadline<void>(
    `${ctx.server}: mkdir ${path}`,
    ms,
    (settle) => {
      sendMkdirs(sftp, missing);
      sftp.stat(p, (err: SftpErr) => {
        if (err) return settle(sftpFailure(ctx.server, 'make the folder', path, err));
        for (const d of missing) ctx.madeDirs.add(d);
        settle(null);
      });
    },
    () => ctx.kill(),
    ctx.conn,
  );
}

/**
 * Why: a write is given its request bound plus one second per 64 KiB, so a large stage is not
 * cut off. The folders this target already made are not made again, not even after a reconnect:
 * every write of a run lands in the same few folders (docs/scale.md#speed-ups-the-code-keeps). The missing ones go in the same flight
 * as the open (./sftp-pipeline.ts). A folder removed behind the connector's back makes the write
 * fail with "no such file"; then the folders are made again once.
 */
export async function sftpWrite(
  ctx: RequestContext,
  sftp: SFTPWrapper,
  path: string,
  data: Buffer | string,
  ms: number,
): Promise<void> {
  const p = toSftpPath(path);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const made = ctx.madeDirs;
  const parents = sftpParents(p);
  const allowance = Math.ceil(bytes.length / 65_536) * 1000;
  let status: number | undefined;
  const write = (folders: string[]) =>
    withDeadline<void>(
      `${ctx.server}: write ${path}`,
      ms + allowance,
      (settle) =>
        putFile(sftp, p, bytes, folders, (err: SftpErr) => {
          status = err?.code;
          if (err) return settle(sftpFailure(ctx.server, 'write', path, err));
          for (const d of folders) made.add(d);
          settle(null);
        }),
      () => ctx.kill(),
      ctx.conn,
    );
  const missing = parents.filter((d) => !made.has(d));
  try {
    await write(missing);
  } catch (err) {
    if (missing.length === parents.length || status !== NO_SUCH_FILE) throw err;
    for (const d of parents) made.delete(d);
    await write(parents);
  }
}

/** Why: a file's bytes, or null when it does not exist (./sftp-pipeline.ts `getFile`). */
export function sftpRead(
  ctx: RequestContext,
  sftp: SFTPWrapper,
  path: string,
  ms: number,
): Promise<Buffer | null> {
  return withDeadline<Buffer | null>(
    `${ctx.server}: read ${path}`,
    ms,
    (settle) =>
      getFile(sftp, toSftpPath(path), (err: SftpErr, data) =>
        err ? settle(sftpFailure(ctx.server, 'read', path, err)) : settle(null, data),
      ),
    () => ctx.kill(),
    ctx.conn,
  );
}

/** Why: removing a file that is already gone is success (the step is idempotent). */
export function sftpRemove(ctx: RequestContext, sftp: SFTPWrapper, path: string, ms: number): Promise<void> {
  return withDeadline<void>(
    `${ctx.server}: remove ${path}`,
    ms,
    (settle) =>
      sftp.unlink(toSftpPath(path), (err: SftpErr) =>
        settle(!err || err.code === NO_SUCH_FILE ? null : sftpFailure(ctx.server, 'remove', path, err)),
      ),
    () => ctx.kill(),
    ctx.conn,
  );
}
