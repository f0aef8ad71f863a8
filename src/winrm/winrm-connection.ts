// One authenticated TCP connection to a WinRM listener. NTLM (MS-NLMP; the handshake on empty
// POSTs, as Windows' own client and pywinrm do) authenticates the connection, and over HTTP every
// envelope then travels sealed (MS-WSMV 2.2.9.1: the listener's default AllowUnencrypted=false).
// Over HTTPS the body is plain inside TLS, with NTLM or Basic (docs/winrm.md).
import { Agent as HttpAgent } from 'node:http';
import type { Socket } from 'node:net';
import { TargetError } from '../connector/ports.ts';
import {
  createNtlmClient,
  ENCRYPTED_CONTENT_TYPE,
  isEncryptedContentType,
  type NtlmSession,
  sealHttpBody,
  unsealHttpBody,
} from '../winrm-common/index.ts';
import { type HttpAnswer, postOnce } from './http-exchange.ts';
import { tlsAgent, type WinRmTls } from './tls-agent.ts';
import { httpStatusError } from './wsman-faults.ts';

export interface WinRmEndpoint {
  server: string;
  url: URL;
  user: string;
  /** Read from the inventory's passwordFile; never logged, never on a command line. */
  password: string;
  auth: 'ntlm' | 'basic';
  tls?: WinRmTls;
}

const SOAP_TYPE = 'application/soap+xml;charset=UTF-8';

function token(a: HttpAnswer): Buffer | null {
  const h = a.headers['www-authenticate'];
  for (const v of Array.isArray(h) ? h : h ? [h] : []) {
    const m = /^(?:Negotiate|NTLM)\s+([A-Za-z0-9+/=]+)/i.exec(v.trim());
    if (m?.[1]) return Buffer.from(m[1], 'base64');
  }
  return null;
}

export class WinRmConnection {
  private readonly agent: HttpAgent;
  private session: NtlmSession | null = null;
  private socket: Socket | null = null;
  dead = false;

  constructor(private readonly ep: WinRmEndpoint) {
    const opts = { keepAlive: true, maxSockets: 1, maxFreeSockets: 1 };
    this.agent = ep.url.protocol === 'https:' ? tlsAgent(opts, ep.tls ?? {}) : new HttpAgent(opts);
  }

  private get sealed(): boolean {
    return this.ep.auth === 'ntlm' && this.ep.url.protocol === 'http:';
  }

  /** Why: NTLM's three legs on this connection's one socket, within `ms`; Basic needs none. */
  async open(ms: number): Promise<void> {
    if (this.ep.auth === 'basic') return;
    const t = { server: this.ep.server, url: this.ep.url, agent: this.agent };
    const client = createNtlmClient({ user: this.ep.user, password: this.ep.password });
    const first = await postOnce(
      t,
      { Authorization: `Negotiate ${client.negotiate().toString('base64')}` },
      Buffer.alloc(0),
      ms,
    );
    const challenge = first.status === 401 ? token(first) : null;
    if (!challenge) throw this.refused(first.status, 'the listener offered no NTLM challenge');
    let auth: ReturnType<typeof client.authenticate>;
    try {
      auth = client.authenticate(challenge);
    } catch (err) {
      throw new TargetError('auth', `${this.ep.server}: WinRM: ${(err as Error).message}`);
    }
    const last = await postOnce(
      t,
      { Authorization: `Negotiate ${auth.message.toString('base64')}` },
      Buffer.alloc(0),
      ms,
    );
    if (last.status !== 200) throw this.refused(last.status, `the NTLM logon of ${this.ep.user} was refused`);
    if (last.socket !== first.socket)
      throw new TargetError(
        'unreachable',
        `${this.ep.server}: WinRM: the connection closed during the NTLM handshake`,
      );
    this.session = auth.session;
    this.socket = last.socket;
  }

  private refused(status: number, why: string): TargetError {
    if (status === 401) return new TargetError('auth', `${this.ep.server}: WinRM: ${why} (HTTP 401)`);
    return httpStatusError(this.ep.server, 'WinRM logon', status);
  }

  /** Why: one envelope there and its answer back (a fault's too), sealed where the listener wants it. */
  async post(xml: string, ms: number): Promise<string> {
    const t = { server: this.ep.server, url: this.ep.url, agent: this.agent };
    const plain = Buffer.from(xml, 'utf8');
    const headers: Record<string, string> = {};
    let body: Buffer = plain;
    if (this.sealed) {
      if (!this.session) throw new TargetError('unreachable', `${this.ep.server}: WinRM: not logged on`);
      body = sealHttpBody(this.session, plain);
      headers['Content-Type'] = ENCRYPTED_CONTENT_TYPE;
    } else {
      headers['Content-Type'] = SOAP_TYPE;
      if (this.ep.auth === 'basic')
        headers.Authorization = `Basic ${Buffer.from(`${this.ep.user}:${this.ep.password}`).toString('base64')}`;
    }
    let a: HttpAnswer;
    try {
      a = await postOnce(t, headers, body, ms);
    } catch (err) {
      this.destroy();
      throw err;
    }
    if (this.socket && a.socket !== this.socket) {
      // The authenticated socket closed; the agent's new one has no NTLM session.
      this.destroy();
      throw new TargetError(
        'unreachable',
        `${this.ep.server}: WinRM: the connection was closed by the server`,
      );
    }
    if (a.status !== 200 && a.status !== 500) {
      this.destroy();
      throw a.status === 401
        ? new TargetError('unreachable', `${this.ep.server}: WinRM: the session was dropped (HTTP 401)`)
        : httpStatusError(this.ep.server, 'WinRM request', a.status);
    }
    return this.answerText(a);
  }

  private answerText(a: HttpAnswer): string {
    const type = a.headers['content-type'];
    if (!isEncryptedContentType(type)) {
      if (this.sealed && a.body.length > 0)
        throw new TargetError('command-failed', `${this.ep.server}: WinRM: the answer was not sealed`);
      return a.body.toString('utf8');
    }
    if (!this.session)
      throw new TargetError('command-failed', `${this.ep.server}: WinRM: a sealed answer without a session`);
    try {
      return unsealHttpBody(this.session, a.body).toString('utf8');
    } catch (err) {
      this.destroy();
      throw new TargetError(
        'unreachable',
        `${this.ep.server}: WinRM: a sealed answer did not verify: ${(err as Error).message}`,
      );
    }
  }

  /** Why: a connection in doubt is never reused; its socket goes with it. */
  destroy(): void {
    this.dead = true;
    this.session = null;
    this.agent.destroy();
  }
}
