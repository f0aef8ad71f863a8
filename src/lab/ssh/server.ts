// A lab host's SSH front end: ssh2 Server on 127.0.0.1, public-key auth only for the lab user,
// `exec` handed to the host's command dispatcher, `sftp` confined to the host's disk.
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { Connection, ParsedKey, Server, ServerChannel } from 'ssh2';
import { coalesceWrites } from '../../protocol/coalesce-writes.ts';
import { withKeyObjects } from '../../ssh2/key-objects.ts';
import ssh2 from '../../ssh2/ssh2.ts';

const { Server: SshServer, utils } = ssh2;

import { FaultGate, type FrontFault, type FaultGate as Gate } from './front-faults.ts';
import type { KeyPair } from './keys.ts';
import { serveSftp } from './sftp-server.ts';

export interface ExecIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export interface SshFrontOptions {
  hostKey: KeyPair;
  user: string;
  userPublicKey: string;
  diskDir: string;
  /** Runs one command line; resolves to its exit code. */
  exec(command: string, io: ExecIo): Promise<number>;
}

export interface SshFront {
  listen(port: number): Promise<number>;
  /** Stops listening and drops every connection (a power-off). */
  close(): Promise<void>;
  /** Produces a network fault now, or on the next matching request (docs/lab.md). */
  inject(fault: FrontFault): void;
  /** Called when a client opens a job file for writing (the `stage` fault event). */
  onStage(listener: () => void): void;
  /** The key the next listen presents: a reinstalled server, or someone else at its address. */
  replaceHostKey(key: KeyPair): void;
}

/** Why: a lab key that does not parse is a broken lab, reported at its start. */
function parsedOrThrow(text: string): ParsedKey {
  const key = utils.parseKey(text);
  if (key instanceof Error) throw key;
  return withKeyObjects(Array.isArray(key) ? key[0] : key);
}

/** Why: the listener of one host; closed and reopened on the same port across reboots. */
export function createSshFront(o: SshFrontOptions): SshFront {
  // Both keys decoded once: a fleet logs on thousands of times (src/ssh2/key-objects.ts).
  const allowed = parsedOrThrow(o.userPublicKey);
  const allowedBlob = allowed.getPublicSSH();
  let hostKey = parsedOrThrow(o.hostKey.private);
  const conns = new Set<Connection>();
  let server: Server | null = null;
  let port = 0;
  // Bumped by listen and close: a refusal's re-listen only applies if nothing happened since.
  let generation = 0;
  const gate: Gate = new FaultGate();
  const dropAll = () => {
    for (const c of conns) {
      try {
        c.end();
      } catch {}
      (c as unknown as { _sock?: { destroy(): void } })._sock?.destroy();
    }
    conns.clear();
  };

  const onClient = (client: Connection) => {
    conns.add(client);
    client.on('close', () => conns.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (
        ctx.method === 'publickey' &&
        ctx.username === o.user &&
        ctx.key.algo === allowed.type &&
        ctx.key.data.equals(allowedBlob)
      ) {
        if (!ctx.signature) return ctx.accept();
        if (ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      }
      ctx.reject(['publickey']);
    });
    // Win32-OpenSSH's sshd turns Nagle off at a connection's first exec or subsystem
    // (docs/lab.md "SSH sessions"); Node's setNoDelay skips the system call when already set.
    const sessionStarts = () => (client as unknown as { _sock?: Socket })._sock?.setNoDelay(true);
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) => {
          sessionStarts();
          const ch: ServerChannel = acceptExec();
          // A hung exec: the channel is open and never answers.
          if (gate.take('hang-exec')) return;
          o.exec(info.command, { stdin: ch, stdout: ch, stderr: ch.stderr }).then(
            (code) => {
              try {
                ch.exit(code >>> 0);
                ch.end();
              } catch {
                // The connection is gone (a reboot); nothing to report to.
              }
            },
            () => {
              try {
                ch.exit(1);
                ch.end();
              } catch {}
            },
          );
        });
        session.on('subsystem', (acceptSub, rejectSub, info) => {
          if (info.name !== 'sftp') return rejectSub();
          sessionStarts();
          serveSftp(gate.wrapSftp(acceptSub() as never), o.diskDir);
        });
        session.on('sftp', (acceptSftp) => {
          sessionStarts();
          serveSftp(gate.wrapSftp(acceptSftp()), o.diskDir);
        });
      });
    });
  };

  return {
    replaceHostKey(key) {
      hostKey = parsedOrThrow(key.private);
    },
    listen(wanted) {
      generation++;
      server = new SshServer({ hostKeys: [{ key: hostKey }] }, onClient);
      const s = server;
      (s as unknown as { _srv: Server })._srv.prependListener('connection', (sock: Socket) => {
        coalesceWrites(sock);
        gate.onSocket(sock);
      });
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.listen(wanted, '127.0.0.1', () => {
          s.off('error', reject);
          port = (s.address() as { port: number }).port;
          resolve(port);
        });
      });
    },
    onStage(listener) {
      gate.onStage = listener;
    },
    inject(fault) {
      if (fault.do === 'drop-ssh') return dropAll();
      if (fault.do !== 'refuse-ssh') return gate.arm(fault.do);
      // A listener that is down refuses (RST to the SYN); connections already open stay up.
      const s = server;
      if (!s) return;
      server = null;
      const gen = ++generation;
      s.close();
      setTimeout(() => {
        if (gen === generation && !server) void this.listen(port).catch(() => {});
      }, fault.ms).unref();
    },
    async close() {
      const s = server;
      server = null;
      generation++;
      dropAll();
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
