// `wsus-client relay --pipe NAME`: stdin → pipe, pipe → stdout. This is how the connector reaches
// the pipe through an SSH exec channel (Windows OpenSSH cannot forward to a pipe itself).
import { connect } from 'node:net';
import type { ClientEnv } from './env.ts';
import { CLIENT_EXIT } from './exit-codes.ts';

const PIPE_NAME_RE = /^[A-Za-z0-9._-]{1,200}$/;

/** Why: a byte-transparent bridge; it ends when either side ends, and says clearly when there is no pipe. */
export function relayCommand(name: string, clientEnv: ClientEnv): Promise<number> {
  const say = (text: string) => clientEnv.stderr.write(`wsus-client relay: ${text}\n`);
  if (!PIPE_NAME_RE.test(name)) {
    say(`invalid pipe name "${name}" (letters, digits, dot, dash, underscore)`);
    return Promise.resolve(CLIENT_EXIT.usage);
  }
  if (clientEnv.signal.aborted) return Promise.resolve(CLIENT_EXIT.aborted);
  const path = clientEnv.pipePath(name);
  const { stdin, stdout, signal } = clientEnv;

  return new Promise<number>((resolve) => {
    const socket = connect(path);
    let connected = false;
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

    socket.once('connect', () => {
      connected = true;
      socket.pipe(stdout, { end: false });
      stdin.pipe(socket, { end: false });
      stdin.once('end', onStdinEnd);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected) {
        const why =
          err.code === 'ENOENT' || err.code === 'ECONNREFUSED'
            ? 'no client is listening there (is the run active?)'
            : `${err.code ?? ''} ${err.message}`.trim();
        say(`cannot connect to pipe ${name} at ${path}: ${why}`);
      } else {
        say(`pipe ${name}: ${err.message}`);
      }
      finish(1);
    });
    socket.on('close', () => finish(connected ? CLIENT_EXIT.ok : 1));
  });
}
