// What a WinRM shell answers (MS-WSMV 2.2.4.8 CommandResponse, 2.2.4.27 ReceiveResponse, the
// Create response's ShellId selector, 2.2.4.43 faults), parsed with fast-xml-parser. Namespace
// prefixes differ between servers (Windows writes s:, rsp:, w:, x:; MS-WSMV's examples wsa:,
// wsman:), so names are matched without them.
import { XMLParser } from 'fast-xml-parser';
import { COMMAND_STATE } from '../winrm-common/wsman-uris.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'Stream' || name === 'Selector',
});

type Node = Record<string, unknown>;

/** A SOAP fault as the server sent it: the WSManFault code (a Windows error number) and text. */
export interface WsmanFault {
  /** s:Code/s:Subcode/s:Value without its prefix, e.g. "TimedOut", "AccessDenied". */
  subcode: string;
  /** f:WSManFault/@Code, e.g. 2150858793; null when the fault carries none. */
  code: number | null;
  message: string;
}

export class WsmanFaultError extends Error {
  readonly fault: WsmanFault;
  constructor(fault: WsmanFault) {
    super(fault.message);
    this.name = 'WsmanFaultError';
    this.fault = fault;
  }
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'object' && '#text' in (v as Node)) return String((v as Node)['#text']).trim();
  return typeof v === 'object' ? '' : String(v).trim();
}

function child(n: unknown, name: string): Node | undefined {
  if (!n || typeof n !== 'object') return undefined;
  const v = (n as Node)[name];
  return v && typeof v === 'object' ? (v as Node) : undefined;
}

function stripPrefix(v: string): string {
  return v.replace(/^[^:]*:/, '');
}

/** Why: the body of an answer, or the fault it carries thrown as a WsmanFaultError. */
export function parseEnvelope(xml: string): Node {
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (err) {
    throw new Error(`the WinRM answer is not XML: ${(err as Error).message}`);
  }
  const body = child(child(doc, 'Envelope'), 'Body');
  if (!body) throw new Error(`the WinRM answer is not a SOAP envelope: ${xml.slice(0, 120)}`);
  const fault = child(body, 'Fault');
  if (fault) throw new WsmanFaultError(readFault(fault));
  return body;
}

/** Why: the parts of a fault the transport decides on, whatever the server's wording. */
function readFault(fault: Node): WsmanFault {
  const subcode = stripPrefix(text(child(child(child(fault, 'Code'), 'Subcode'), 'Value')));
  const detail = child(child(fault, 'Detail'), 'WSManFault');
  const rawCode = detail?.['@Code'];
  const code = rawCode === undefined ? null : Number(rawCode);
  const reason = text(child(child(fault, 'Reason'), 'Text'));
  const message = text(detail?.Message) || reason || 'a WS-Management fault without a message';
  return { subcode, code: Number.isFinite(code) ? code : null, message };
}

/** Why: Create answers with the new shell's id as a selector of its ResourceCreated reference. */
export function parseShellId(xml: string): string {
  const body = parseEnvelope(xml);
  const ref = child(child(body, 'ResourceCreated'), 'ReferenceParameters');
  const selectors = (child(ref, 'SelectorSet')?.Selector ?? []) as unknown[];
  for (const s of selectors) {
    if (typeof s === 'object' && s && (s as Node)['@Name'] === 'ShellId') return text(s);
  }
  // Windows also returns the shell itself with its ShellId (MS-WSMV 2.2.4.37).
  const id = text(child(body, 'Shell')?.ShellId);
  if (id) return id;
  throw new Error('the WinRM Create answer names no ShellId');
}

/** Why: the id every later message of this command names. */
export function parseCommandId(xml: string): string {
  const id = text(child(parseEnvelope(xml), 'CommandResponse')?.CommandId);
  if (!id) throw new Error('the WinRM Command answer names no CommandId');
  return id;
}

export interface ReceiveChunk {
  stdout: Buffer;
  stderr: Buffer;
  /** Set once the command is Done: its exit code (null if the server gave none). */
  exit?: { code: number | null };
}

/** Why: one Receive's output (base64 per stream, in order) and whether the command is done. */
export function parseReceive(xml: string): ReceiveChunk {
  const body = parseEnvelope(xml);
  if (!('ReceiveResponse' in body)) throw new Error('the WinRM Receive answer has no ReceiveResponse');
  const r = child(body, 'ReceiveResponse') ?? {};
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  for (const s of (r.Stream ?? []) as unknown[]) {
    const node = (typeof s === 'object' && s ? s : { '#text': s }) as Node;
    const data = text(node);
    if (!data) continue;
    const bytes = Buffer.from(data, 'base64');
    if (node['@Name'] === 'stderr') err.push(bytes);
    else if (node['@Name'] === 'stdout') out.push(bytes);
  }
  const chunk: ReceiveChunk = { stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
  const state = child(r, 'CommandState');
  if (state && state['@State'] === COMMAND_STATE.done) {
    const code = text(state.ExitCode);
    chunk.exit = { code: code === '' ? null : Number(code) };
  }
  return chunk;
}
