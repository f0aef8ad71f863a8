// Encoding and validated decoding of single protocol lines, shared by the client's pipe server
// and the connector's reader so both ends reject the same garbage the same way.
import type { z } from 'zod';
import {
  type ClientMessage,
  type ConnectorMessage,
  clientMessageSchema,
  connectorMessageSchema,
} from './messages.ts';
import { ProtocolError } from './protocol-error.ts';

/** Why: one place that turns a message into its wire form (one JSON object plus "\n"). */
export function encodeMessage(msg: ClientMessage | ConnectorMessage): string {
  return `${JSON.stringify(msg)}\n`;
}

function issuePath(path: PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** Why: parses one line against a schema; a bad line becomes a ProtocolError naming the JSON path. */
export function decodeLine<S extends z.ZodType>(line: string, schema: S, what: string): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new ProtocolError(`${what}: not a JSON line: ${line.slice(0, 80)}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issuePath(issue.path) : '';
    throw new ProtocolError(
      `${what}: invalid message${where ? ` at ${where}` : ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** Why: what the connector's reader accepts from the client. */
export function decodeClientMessage(line: string): ClientMessage {
  return decodeLine(line, clientMessageSchema, 'client message');
}

/** Why: what the client's pipe server accepts from the connector. */
export function decodeConnectorMessage(line: string): ConnectorMessage {
  return decodeLine(line, connectorMessageSchema, 'connector message');
}
