// SFTP requests sent without waiting for each reply. The protocol allows any number of
// outstanding requests, and a server's results must be the same as if the client had waited for
// each reply (draft-ietf-secsh-filexfer-02, section 6): a mkdir sent before an open is done
// before that open, and a close sent after the writes closes the file they wrote. A small file in
// a new folder then takes two round trips instead of five (docs/scale.md).
import type { SFTPWrapper } from 'ssh2';

/** Bytes per WRITE and WRITEs in flight: the OpenSSH sftp client's defaults (-B 32768, -R 64). */
export const PUT_CHUNK = 32_768;
export const PUT_WINDOW = 64;
/** Bytes asked for per READ, at most. */
export const GET_CHUNK = 65_536;

/** An SFTP request's failure: `code` is the SSH_FX status, absent when the channel died. */
export type SftpError = Error & { code?: number };

/** SFTP status 2 = SSH_FX_NO_SUCH_FILE. */
export const NO_SUCH_FILE = 2;

type Done = (err: SftpError | null) => void;

/** The smallest per-request limit ssh2 uses for reads and writes (34000 minus 2 KiB of overhead). */
const SSH2_MIN_LEN = 34_000 - 2_048;

/**
 * Why: ssh2 splits a READ or WRITE above its per-connection limit and sends the rest only after
 * the first part's reply, which would put it behind a pipelined CLOSE. ssh2 keeps those limits in
 * private fields (test/ssh/sftp-pipeline.test.ts checks that they are still there); without
 * them, its smallest.
 */
function ssh2Limit(sftp: SFTPWrapper, field: '_maxWriteLen' | '_maxReadLen'): number {
  const limit = (sftp as unknown as Record<string, unknown>)[field];
  return typeof limit === 'number' && limit > 0 ? limit : SSH2_MIN_LEN;
}

/** Why: the bytes one pipelined WRITE may carry on this session. */
export function writeChunk(sftp: SFTPWrapper): number {
  return Math.min(PUT_CHUNK, ssh2Limit(sftp, '_maxWriteLen'));
}

/** Why: the bytes one pipelined READ may ask for on this session. */
export function readChunk(sftp: SFTPWrapper): number {
  return Math.min(GET_CHUNK, ssh2Limit(sftp, '_maxReadLen'));
}

/**
 * Why: mkdir of each folder, outermost first, all in one flight. Their replies are not waited
 * for: an existing folder fails its mkdir and is fine, and a folder that could not be made fails
 * the request that needs it (the caller's open), with the status that says why.
 */
export function sendMkdirs(sftp: SFTPWrapper, folders: readonly string[]): void {
  for (const dir of folders) sftp.mkdir(dir, () => {});
}

/**
 * Why: a whole file as OPEN (after the given folders' mkdirs), then every WRITE and the CLOSE
 * pipelined within a window. `done` runs once, after the last reply: a server may answer out of
 * order, so the close's reply alone does not say that every write landed. The first failure wins.
 */
export function putFile(
  sftp: SFTPWrapper,
  path: string,
  data: Buffer,
  folders: readonly string[],
  done: Done,
): void {
  sendMkdirs(sftp, folders);
  sftp.open(path, 'w', (openErr, handle) => {
    if (openErr) return done(openErr);
    let failure: SftpError | null = null;
    let sent = 0;
    let pending = 0;
    let closing = false;
    const chunk = writeChunk(sftp);
    const settleWhenIdle = () => {
      if (pending === 0 && closing) done(failure);
    };
    const close = () => {
      closing = true;
      pending++;
      sftp.close(handle, (err) => {
        pending--;
        failure ??= err ?? null;
        settleWhenIdle();
      });
    };
    const pump = () => {
      while (failure === null && sent < data.length && pending < PUT_WINDOW) {
        const len = Math.min(chunk, data.length - sent);
        pending++;
        sftp.write(handle, data, sent, len, sent, (err) => {
          pending--;
          failure ??= err ?? null;
          if (closing) return settleWhenIdle();
          // A failed write stops the sending; the handle is closed once the others have answered.
          if (failure === null || pending === 0) pump();
        });
        sent += len;
      }
      if (!closing && (sent >= data.length || (failure !== null && pending === 0))) close();
    };
    pump();
  });
}

type GetDone = (err: SftpError | null, data: Buffer | null) => void;

/**
 * Read buffers kept for the next read. Each READ needs a whole chunk to land in, and a fresh one
 * is memory outside the heap that only a later garbage collection frees: a fleet's connector
 * reading small files (locks, logs) thousands of times a minute held tens of megabytes of them.
 * A read's bytes are copied out at their own size, so a buffer is free again once its reply is in.
 */
const spare: Buffer[] = [];
const SPARE_MAX = 64;

/** Why: a buffer of GET_CHUNK bytes for one READ, reused when one is free. */
function takeBuffer(): Buffer {
  return spare.pop() ?? Buffer.allocUnsafe(GET_CHUNK);
}

/** Why: the bytes one READ returned, at their own size, and its buffer back to the spares. */
function keep(buf: Buffer, n: number): Buffer {
  const bytes = Buffer.from(buf.subarray(0, n));
  if (spare.length < SPARE_MAX) spare.push(buf);
  return bytes;
}

/** Why: one buffer for the chunks read, without a copy when there is only one. */
function joined(chunks: Buffer[]): Buffer {
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

/**
 * Why: a file's bytes (null when it does not exist) in two round trips when it is small: OPEN,
 * then the first READ and the CLOSE in one flight. A read that returns less than it asked for met
 * the end of the file (a server reads the file once per request). A file that fills the first
 * read is read on from there through a new handle, one READ per round trip. A failed close after
 * a good read does not lose the bytes.
 */
export function getFile(sftp: SFTPWrapper, path: string, done: GetDone): void {
  const chunks: Buffer[] = [];
  const chunk = readChunk(sftp);
  let position = 0;
  const open = (then: (handle: Buffer) => void) =>
    sftp.open(path, 'r', (err, handle) => {
      if (!err) return then(handle);
      const e = err as SftpError;
      done(position === 0 && e.code === NO_SUCH_FILE ? null : e, null);
    });
  const readOn = (handle: Buffer) => {
    const buf = takeBuffer();
    sftp.read(handle, buf, 0, chunk, position, (err, n) => {
      if (err) return sftp.close(handle, () => done(err, null));
      chunks.push(keep(buf, n));
      position += n;
      if (n < chunk) return sftp.close(handle, () => done(null, joined(chunks)));
      readOn(handle);
    });
  };
  open((handle) => {
    const buf = takeBuffer();
    let read: { err: SftpError | null; n: number } | null = null;
    let closed = false;
    const both = () => {
      if (read === null || !closed) return;
      if (read.err) return done(read.err, null);
      position = read.n;
      if (read.n < chunk) return done(null, joined(chunks));
      open(readOn);
    };
    sftp.read(handle, buf, 0, chunk, 0, (err, n) => {
      read = { err: err ?? null, n };
      if (!err) chunks.push(keep(buf, n));
      both();
    });
    sftp.close(handle, () => {
      closed = true;
      both();
    });
  });
}
