// Network faults a lab host's SSH front end can be told to produce (docs/lab.md "Fault
// injection"): what a dying link, a rebooting listener or a stuck server look like to a client.
import type { Socket } from 'node:net';
import type { SFTPWrapper } from 'ssh2';

export type FrontFault =
  | { do: 'drop-ssh' }
  | { do: 'refuse-ssh'; ms: number }
  | { do: 'reset-handshake' }
  | { do: 'hang-exec' }
  | { do: 'hang-sftp' };

/** The SFTP requests a client waits an answer for; a hung one is never answered. */
const SFTP_REQUESTS = new Set([
  'OPEN',
  'READ',
  'WRITE',
  'FSTAT',
  'FSETSTAT',
  'CLOSE',
  'OPENDIR',
  'READDIR',
  'LSTAT',
  'STAT',
  'REMOVE',
  'RMDIR',
  'REALPATH',
  'READLINK',
  'SETSTAT',
  'MKDIR',
  'RENAME',
  'SYMLINK',
]);

/** Pending one-shot faults of one front end. */
export class FaultGate {
  private pending = { 'reset-handshake': 0, 'hang-exec': 0, 'hang-sftp': 0 };

  /** Why: a one-shot fault applies to the next matching request only. */
  arm(kind: keyof FaultGate['pending']): void {
    this.pending[kind]++;
  }

  /** Why: true once per armed fault, so exactly one request is affected. */
  take(kind: keyof FaultGate['pending']): boolean {
    if (this.pending[kind] === 0) return false;
    this.pending[kind]--;
    return true;
  }

  /** Why: a reset during the key exchange: the client has sent its ident, then the TCP RST. */
  onSocket(sock: Socket): void {
    if (!this.take('reset-handshake')) return;
    sock.once('data', () => sock.resetAndDestroy());
  }

  /** Called when a client opens a job file for writing (the `stage` fault event). */
  onStage: () => void = () => {};

  /** Why: swallows the next SFTP request when hang-sftp is armed; the channel stays open. */
  wrapSftp(sftp: SFTPWrapper): SFTPWrapper {
    const emit = sftp.emit.bind(sftp) as (ev: string | symbol, ...args: unknown[]) => boolean;
    (sftp as unknown as { emit: typeof emit }).emit = (ev, ...args) => {
      // OPEN's flags: SSH_FXF_WRITE = 0x02 (draft-ietf-secsh-filexfer-02 6.3).
      if (ev === 'OPEN' && /job\.json$/i.test(String(args[1])) && (Number(args[2]) & 0x02) !== 0)
        this.onStage();
      if (typeof ev === 'string' && SFTP_REQUESTS.has(ev) && this.take('hang-sftp')) return true;
      return emit(ev, ...args);
    };
    return sftp;
  }
}
