// One SFTP call that always settles. ssh2's high-level SFTP calls (readFile, writeFile...) can drop
// their callback when the connection dies mid-call (mscdex/ssh2#1490): a reboot or a dropped
// session then stalled the lock lease, and with it the run, forever (docs/scale.md). Here a call
// settles on its callback, when the connection or the SFTP channel closes, or after
// SFTP_TIMEOUT_MS (the caller then discards the SFTP session).
import type { EventEmitter } from 'node:events';
import type { SFTPWrapper } from 'ssh2';
import { TargetError } from '../connector/ports.ts';

/** A call on a healthy server takes milliseconds; a minute without an answer is a dead session. */
export const SFTP_TIMEOUT_MS = 60_000;

export interface SftpCall<T> {
  server: string;
  conn: EventEmitter;
  sftp: SFTPWrapper;
  what: string;
  call: (sftp: SFTPWrapper, settle: (result: () => T) => void) => void;
}

/** Why: bounds one SFTP call; `settle(() => value)` resolves, a throw inside it rejects. */
export function settledSftpCall<T>(
  c: SftpCall<T>,
  discardSession: () => void,
  timeoutMs = SFTP_TIMEOUT_MS,
): Promise<T> {
  const { conn, sftp, server, what } = c;
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      conn.off('close', onClose);
      sftp.off('close', onClose);
      f();
    };
    const onClose = () =>
      finish(() =>
        reject(new TargetError('unreachable', `${server}: the connection dropped during ${what}`)),
      );
    const timer = setTimeout(() => {
      discardSession();
      sftp.end();
      finish(() =>
        reject(new TargetError('unreachable', `${server}: ${what}: no answer in ${timeoutMs / 1000} s`)),
      );
    }, timeoutMs);
    conn.once('close', onClose);
    sftp.once('close', onClose);
    try {
      c.call(sftp, (result) =>
        finish(() => {
          try {
            resolve(result());
          } catch (err) {
            reject(err);
          }
        }),
      );
    } catch (err) {
      finish(() => reject(new TargetError('unreachable', `${server}: ${what}: ${(err as Error).message}`)));
    }
  });
}
