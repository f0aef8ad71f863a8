// The HTTPS listener's certificate is always checked (docs/winrm.md "HTTPS"): against a CA file,
// or against a pinned thumbprint (the SHA-1 Windows shows as the certificate's Thumbprint, or a
// SHA-256), and accepted unchecked only when the inventory says `insecureSkipVerify` in so many
// words. A pinned connection is handed to HTTP only after the pin matched, so no credential is
// ever sent to a server that failed it.

import type { RequestOptions } from 'node:http';
import { type AgentOptions, Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import { type ConnectionOptions, connect, type TLSSocket } from 'node:tls';

export interface WinRmTls {
  /** PEM bytes of the CA(s) the listener's certificate must chain to. */
  ca?: Buffer;
  /** Hex SHA-1 (40) or SHA-256 (64) of the listener's certificate, any case, colons allowed. */
  thumbprint?: string;
  /** Accept any certificate: only when the operator wrote so. */
  insecureSkipVerify?: boolean;
}

function normal(hex: string): string {
  return hex.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

/** Why: does the certificate the server showed have the pinned thumbprint? */
export function matchesThumbprint(socket: TLSSocket, thumbprint: string): boolean {
  const cert = socket.getPeerCertificate();
  if (!cert?.raw) return false;
  const want = normal(thumbprint);
  return normal(cert.fingerprint ?? '') === want || normal(cert.fingerprint256 ?? '') === want;
}

class PinnedAgent extends HttpsAgent {
  constructor(
    opts: AgentOptions,
    private readonly thumbprint: string,
  ) {
    super({ ...opts, rejectUnauthorized: false });
  }

  override createConnection(
    options: RequestOptions,
    cb?: (err: Error | null, socket: Duplex) => void,
  ): Duplex | undefined {
    const socket = connect({ ...(options as ConnectionOptions), rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      if (matchesThumbprint(socket, this.thumbprint)) return cb?.(null, socket);
      socket.destroy();
      const err = Object.assign(
        new Error("the certificate does not have the inventory's pinned thumbprint"),
        {
          code: 'WINRM_PIN_MISMATCH',
        },
      );
      cb?.(err, socket);
    });
    socket.once('error', (err) => cb?.(err, socket));
    return undefined;
  }
}

/** Why: the agent that checks the listener's certificate the way the inventory asks. */
export function tlsAgent(opts: AgentOptions, tls: WinRmTls): HttpsAgent {
  if (tls.thumbprint) return new PinnedAgent(opts, tls.thumbprint);
  if (tls.insecureSkipVerify) return new HttpsAgent({ ...opts, rejectUnauthorized: false });
  return new HttpsAgent({ ...opts, rejectUnauthorized: true, ...(tls.ca ? { ca: tls.ca } : {}) });
}
