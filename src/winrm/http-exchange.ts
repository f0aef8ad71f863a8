// One HTTP request on a connection's own agent (one socket, kept alive: NTLM authenticates the
// TCP connection, not the request), bounded by a deadline; network failures become 'unreachable'.
import type { Agent, IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { TargetError } from '../connector/ports.ts';

// OpenSSL's verification failures and the pinned-thumbprint refusal (./tls-agent.ts).
const CERT_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|WINRM_PIN/;

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The socket the exchange went over (NTLM's session belongs to it). */
  socket: Socket | null;
}

export interface HttpTarget {
  server: string;
  url: URL;
  agent: Agent;
}

/** Why: a POST whose answer (or failure) arrives within `ms`, whatever the server does. */
export function postOnce(
  t: HttpTarget,
  headers: Record<string, string | number>,
  body: Buffer,
  ms: number,
): Promise<HttpAnswer> {
  const send = t.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let socket: Socket | null = null;
    let done = false;
    const fail = (msg: string, kind: 'unreachable' | 'host-key' = 'unreachable') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      reject(new TargetError(kind, `${t.server}: WinRM ${t.url.host}: ${msg}`));
    };
    const timer = setTimeout(() => fail(`no answer in ${Math.round(ms / 100) / 10} s`), ms);
    const req = send(
      t.url,
      {
        method: 'POST',
        agent: t.agent,
        headers: { ...headers, 'Content-Length': body.length, 'User-Agent': 'wsus-connector' },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('error', (err) => fail(err.message));
        res.on('aborted', () => fail('the connection closed during the answer'));
        res.on('end', () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), socket });
        });
      },
    );
    req.on('socket', (s: Socket) => {
      socket = s;
    });
    req.on('error', (err: NodeJS.ErrnoException) =>
      CERT_CODE.test(err.code ?? '')
        ? fail(`the server's certificate is not trusted: ${err.message}`, 'host-key')
        : fail(err.code ?? err.message),
    );
    req.end(body);
  });
}
