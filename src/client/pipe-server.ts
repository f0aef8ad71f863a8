// The client's end of the pipe (docs/protocol.md): authenticates each connection with the
// one-time token before sending a single byte, replays the log from `from`, streams it live,
// ends with run.end and reports the connector's ack. Any number of readers, reconnects allowed.
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import { coalesceWrites } from '../protocol/coalesce-writes.ts';
import { decodeConnectorMessage, encodeMessage } from '../protocol/codec.ts';
import { LineSplitter, MAX_CONNECTOR_LINE_BYTES } from '../protocol/line-splitter.ts';
import type { ClientMessage } from '../protocol/messages.ts';
import { tokenMatches } from '../protocol/token.ts';
import type { LogFeed } from './activity-log.ts';

export interface PipeServerOptions {
  /** \\.\pipe\NAME on Windows, a socket path on POSIX. */
  path: string;
  token: string;
  feed: LogFeed;
  /** Called with the seq of run.end when a reader acknowledges it. */
  onAck: (seq: number) => void;
  /** A connection that has not said hello by then is dropped. */
  helloTimeoutMs?: number;
  /** Told about rejected connections (wrong token, garbage); never shown to the peer. */
  onReject?: (reason: string) => void;
}

export interface PipeServer {
  readonly path: string;
  close(): Promise<void>;
}

/** The pipe is already served by a live process (another run on the same name). */
export class PipeInUseError extends Error {
  constructor(path: string) {
    super(`pipe ${path} is already in use by another process`);
    this.name = 'PipeInUseError';
  }
}

const isWindowsPipe = (p: string) => p.startsWith('\\\\');

function probe(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * POSIX only: a private folder, and no stale socket from a killed run in the way. Only a path that
 * exists is probed: a connect to nothing costs a socket and an error for every run of a lab fleet.
 */
async function preparePosixPath(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!lstatSync(path, { throwIfNoEntry: false })) return;
  if (await probe(path)) throw new PipeInUseError(path);
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Why: one connection's protocol, over a socket or any in-memory duplex (tests, in-process hosts). */
export function servePipeConnection(socket: Duplex, opts: PipeServerOptions): void {
  const splitter = new LineSplitter(MAX_CONNECTOR_LINE_BYTES);
  let unsubscribe: (() => void) | null = null;
  let endSeq: number | null = null;
  let state: 'hello' | 'open' = 'hello';
  const reject = (reason: string) => {
    opts.onReject?.(reason);
    socket.destroy();
  };
  const helloTimer = setTimeout(() => reject('no hello in time'), opts.helloTimeoutMs ?? 30_000);
  helloTimer.unref?.();

  // The messages of one tick leave in one write: a run logs several lines at once, and every
  // write is a system call here and a read and an SSH packet in the relay.
  coalesceWrites(socket);
  const send = (msg: ClientMessage) => {
    if (socket.destroyed || socket.writableEnded) return;
    socket.write(encodeMessage(msg));
    if (msg.type === 'run.end') endSeq = msg.seq;
  };

  const start = (from: number) => {
    const feed = opts.feed;
    for (const e of feed.events) if (e.seq >= from) send(e);
    if (feed.runEnd) send(feed.runEnd);
    else
      unsubscribe = feed.subscribe((msg) => {
        if (msg.type === 'run.end' || msg.seq >= from) send(msg);
      });
  };

  socket.on('data', (chunk: Buffer) => {
    let lines: string[];
    try {
      lines = splitter.push(chunk);
    } catch {
      reject('over-long line');
      return;
    }
    for (const line of lines) {
      if (socket.destroyed) return;
      if (line.trim() === '') continue;
      let msg: ReturnType<typeof decodeConnectorMessage>;
      try {
        msg = decodeConnectorMessage(line);
      } catch {
        reject('invalid message');
        return;
      }
      if (state === 'hello') {
        if (msg.type !== 'hello' || !tokenMatches(opts.token, msg.token)) {
          reject(msg.type !== 'hello' ? 'message before hello' : 'wrong token');
          return;
        }
        state = 'open';
        clearTimeout(helloTimer);
        start(msg.from);
      } else if (msg.type === 'ack' && endSeq !== null && msg.seq === endSeq) {
        opts.onAck(msg.seq);
        socket.end();
      }
      // Other messages on an authenticated connection (a second hello, a stale ack) are ignored.
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    clearTimeout(helloTimer);
    unsubscribe?.();
  });
}

/** Why: starts listening at once, so the connector can follow the run live from its first event. */
export async function startPipeServer(opts: PipeServerOptions): Promise<PipeServer> {
  const posix = !isWindowsPipe(opts.path);
  if (posix) await preparePosixPath(opts.path);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    servePipeConnection(socket, opts);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new PipeInUseError(opts.path) : err),
    );
    server.listen(opts.path, () => resolve());
  });
  server.on('error', () => {});
  if (posix) chmodSync(opts.path, 0o600);

  let closed: Promise<void> | null = null;
  return {
    path: opts.path,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
