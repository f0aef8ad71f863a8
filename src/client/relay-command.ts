// `wsus-client relay --pipe NAME [--wait SECONDS]`: stdin → pipe, pipe → stdout. This is how the
// connector reaches the pipe through an SSH exec channel (Windows OpenSSH cannot forward to a pipe
// itself). With --wait the relay waits, bounded, for a client to come up on the pipe, so the
// connector learns the moment it is up instead of asking again and again (docs/protocol.md).
import { connect, type Socket } from 'node:net';
import type { ClientEnv } from './env.ts';
import { CLIENT_EXIT } from './exit-codes.ts';

const PIPE_NAME_RE = /^[A-Za-z0-9._-]{1,200}$/;
/** The longest --wait accepted: the connector's start timeout is minutes, never hours. */
export const RELAY_MAX_WAIT_SECONDS = 3600;
/** How often a waiting relay tries the pipe again: a local open, cheap on the target. */
const RETRY_MS = 20;

type Connected = { socket: Socket } | { error: NodeJS.ErrnoException };

function notListening(err: NodeJS.ErrnoException): boolean {
  return err.code === 'ENOENT' || err.code === 'ECONNREFUSED';
}

function connectOnce(path: string): Promise<Connected> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const onError = (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve({ error });
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve({ socket });
    });
  });
}

/** Why: the pipe as soon as a client listens on it, trying again until waitMs has passed. */
async function connectWhenUp(path: string, waitMs: number, signal: AbortSignal): Promise<Connected | null> {
  const until = Date.now() + waitMs;
  for (;;) {
    const r = await connectOnce(path);
    if ('socket' in r || !notListening(r.error) || Date.now() >= until) return r;
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    if (signal.aborted) return null;
  }
}

/** Why: copies both ways until either side ends; resolves with the relay's exit code. */
function bridge(socket: Socket, clientEnv: ClientEnv, name: string): Promise<number> {
  const { stdin, stdout, signal } = clientEnv;
  return new Promise<number>((resolve) => {
    let done = false;
    const onStdinEnd = () => socket.end();
    const finish = (code: number) => {
      if (done) return;
      done = true;
      stdin.unpipe(socket);
      stdin.off('end', onStdinEnd);
      socket.unpipe(stdout);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(code);
    };
    const onAbort = () => finish(CLIENT_EXIT.aborted);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.pipe(stdout, { end: false });
    stdin.pipe(socket, { end: false });
    stdin.once('end', onStdinEnd);
    socket.on('error', (err) => {
      clientEnv.stderr.write(`wsus-client relay: pipe ${name}: ${err.message}\n`);
      finish(1);
    });
    socket.on('close', () => finish(CLIENT_EXIT.ok));
  });
}

/** Why: a byte-transparent bridge; it ends when either side ends, and says clearly when there is no pipe. */
export async function relayCommand(name: string, clientEnv: ClientEnv, waitSeconds = 0): Promise<number> {
  const say = (text: string) => clientEnv.stderr.write(`wsus-client relay: ${text}\n`);
  if (!PIPE_NAME_RE.test(name)) {
    say(`invalid pipe name "${name}" (letters, digits, dot, dash, underscore)`);
    return CLIENT_EXIT.usage;
  }
  if (!(Number.isFinite(waitSeconds) && waitSeconds >= 0 && waitSeconds <= RELAY_MAX_WAIT_SECONDS)) {
    say(`--wait must be a number of seconds from 0 to ${RELAY_MAX_WAIT_SECONDS}`);
    return CLIENT_EXIT.usage;
  }
  if (clientEnv.signal.aborted) return CLIENT_EXIT.aborted;
  const path = clientEnv.pipePath(name);
  const r = await connectWhenUp(path, waitSeconds * 1000, clientEnv.signal);
  if (r === null) return CLIENT_EXIT.aborted;
  if ('socket' in r) return bridge(r.socket, clientEnv, name);
  const why = notListening(r.error)
    ? waitSeconds > 0
      ? `no client came up there within ${waitSeconds}s (is the run active?)`
      : 'no client is listening there (is the run active?)'
    : `${r.error.code ?? ''} ${r.error.message}`.trim();
  say(`cannot connect to pipe ${name} at ${path}: ${why}`);
  return 1;
}
