// A lab host's WinRM listener (HTTP on 127.0.0.1, as Windows' default HTTP listener on 5985):
// NTLM by `Authorization: Negotiate` per TCP connection (HTTP.sys keeps a connection's logon),
// message encryption required (AllowUnencrypted false, the default), MaxEnvelopeSizekb 500,
// and the lab's network faults (docs/lab.md "WinRM").
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isEncryptedContentType, sealHttpBody, unsealHttpBody } from '../../winrm-common/http-encryption.ts';
import { createNtlmServer, type NtlmServerHandshake } from '../../winrm-common/ntlm-server.ts';
import type { NtlmSession } from '../../winrm-common/ntlm-session.ts';
import { FaultGate, type FrontFault } from '../ssh/front-faults.ts';
import { ShellStore, type WinrmExec } from './shells.ts';
import { fault, parseRequest, type WsmanFault } from './soap.ts';

export interface WinrmFrontOptions {
  computerName: string;
  user: string;
  password: string;
  exec: WinrmExec;
}

export interface WinrmFront {
  listen(port: number): Promise<number>;
  close(): Promise<void>;
  inject(fault: FrontFault): void;
}

/** MaxEnvelopeSizekb default 500 (Microsoft Learn, "Installation and configuration for WinRM"). */
export const MAX_ENVELOPE_BYTES = 500 * 1024;
/** 0x80338111: the request exceeded the MaxEnvelopeSize quota. */
const ENVELOPE_TOO_BIG: WsmanFault = {
  code: 's:Sender',
  subcode: 'w:EncodingLimit',
  reason:
    'The WS-Management service cannot process the request because the request size exceeded the configured MaxEnvelopeSize quota.',
  wsmanCode: 0x80338111,
};

interface Conn {
  handshake?: NtlmServerHandshake;
  session?: NtlmSession;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Why: the listener of one host; closed and reopened on the same port across reboots. */
export function createWinrmFront(o: WinrmFrontOptions): WinrmFront {
  const conns = new WeakMap<Socket, Conn>();
  const sockets = new Set<Socket>();
  const gate = new FaultGate();
  const shells = new ShellStore(o.exec);
  let server: Server | null = null;
  let port = 0;
  let generation = 0;

  const unauthorized = (res: ServerResponse, token?: Buffer) => {
    res.writeHead(401, {
      'WWW-Authenticate': token ? `Negotiate ${token.toString('base64')}` : 'Negotiate',
      'Content-Length': 0,
    });
    res.end();
  };

  /** Why: the NTLM exchange; true once the connection has a session. */
  const authenticate = (req: IncomingMessage, res: ServerResponse, conn: Conn): boolean => {
    const m = /^(Negotiate|NTLM)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) {
      if (conn.session) return true;
      unauthorized(res);
      return false;
    }
    const token = Buffer.from(m[2] ?? '', 'base64');
    const type = token.length >= 12 ? token.readUInt32LE(8) : 0;
    if (type === 1) {
      conn.handshake = createNtlmServer({
        computerName: o.computerName,
        lookupPassword: (u) => (u.toLowerCase() === o.user.toLowerCase() ? o.password : undefined),
      });
      unauthorized(res, conn.handshake.challenge(token));
      return false;
    }
    const verdict = type === 3 && conn.handshake ? conn.handshake.verify(token) : { ok: false as const };
    conn.handshake = undefined;
    if (!verdict.ok) {
      conn.session = undefined;
      unauthorized(res);
      return false;
    }
    conn.session = verdict.session;
    return true;
  };

  const answer = (res: ServerResponse, session: NtlmSession, status: number, xml: string) => {
    const body = sealHttpBody(session, Buffer.from(xml));
    res.writeHead(status, {
      'Content-Type':
        'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"',
      'Content-Length': body.length,
    });
    res.end(body);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const sock = req.socket;
    const conn = conns.get(sock) ?? {};
    conns.set(sock, conn);
    // Twice the plaintext quota bounds what is read of a sealed body before the size check.
    const raw = await readBody(req, 2 * MAX_ENVELOPE_BYTES + 4096);
    if (req.method !== 'POST' || req.url?.toLowerCase().split('?')[0] !== '/wsman') {
      res.writeHead(404, { 'Content-Length': 0 });
      return res.end();
    }
    if (!authenticate(req, res, conn) || !conn.session) return;
    if (raw === null) {
      res.writeHead(413, { 'Content-Length': 0 });
      return res.end();
    }
    if (raw.length === 0) {
      res.writeHead(200, { 'Content-Length': 0 });
      return res.end();
    }
    // AllowUnencrypted false: a plaintext body after logon is refused as Windows does.
    if (!isEncryptedContentType(req.headers['content-type'])) return unauthorized(res);
    const soap = unsealHttpBody(conn.session, raw);
    if (soap.length > MAX_ENVELOPE_BYTES)
      return answer(res, conn.session, 500, fault({ messageId: '' }, ENVELOPE_TOO_BIG, o.computerName));
    const wsman = parseRequest(soap.toString('utf8'));
    // Files move through commands over WinRM: hang-sftp hangs the next Command too (docs/lab.md).
    if (wsman.action.endsWith('/Command') && (gate.take('hang-exec') || gate.take('hang-sftp'))) return;
    const result = await shells.handle(wsman, `http://127.0.0.1:${port}/wsman`);
    if ('xml' in result) answer(res, conn.session, 200, result.xml);
    else answer(res, conn.session, 500, fault(wsman, result.fault, o.computerName));
  };

  const dropAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  return {
    listen(wanted) {
      generation++;
      const s = createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
        onRequest(req, res).catch(() => {
          if (!res.headersSent) res.writeHead(400, { 'Content-Length': 0 });
          res.end();
        });
      });
      s.on('connection', (sock: Socket) => {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
        gate.onSocket(sock);
      });
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.listen(wanted, '127.0.0.1', () => {
          server = s;
          port = (s.address() as { port: number }).port;
          resolve(port);
        });
      });
    },
    inject(f) {
      if (f.do === 'drop-ssh') return dropAll();
      if (f.do === 'reset-handshake' || f.do === 'hang-exec' || f.do === 'hang-sftp') return gate.arm(f.do);
      if (f.do === 'refuse-ssh' && server) {
        const gen = generation;
        const s = server;
        server = null;
        s.close();
        setTimeout(() => {
          if (gen === generation && !server) void this.listen(port).catch(() => {});
        }, f.ms);
      }
    },
    async close() {
      generation++;
      const s = server;
      server = null;
      dropAll();
      shells.clear();
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
