// The lab's WS-Management envelopes (MS-WSMV 3.1.4): reading a request's header and body, and
// writing responses and SOAP faults in the shape Windows sends them (docs/lab.md "WinRM").
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { ACTION, ANONYMOUS, NS } from '../../winrm-common/wsman-uris.ts';

const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, attributeNamePrefix: '@_' });

type Node = Record<string, unknown>;

export interface WsmanRequest {
  action: string;
  messageId: string;
  shellId: string | undefined;
  /** OperationTimeout in ms (xs:duration PTnS), or undefined when absent. */
  operationTimeoutMs: number | undefined;
  /** The header's w:OptionSet (e.g. WINRS_CODEPAGE on Create), by option name. */
  options: Record<string, string>;
  body: Node;
}

/** Why: the text of a node that may carry attributes. */
export function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return text((v as Node)['#text']);
  return String(v);
}

function duration(v: string): number | undefined {
  const m = /^PT(\d+(?:\.\d+)?)S$/.exec(v.trim());
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

/** Why: w:OptionSet's w:Option elements (MS-WSMV 4.7.1 sends WINRS_NOPROFILE and WINRS_CODEPAGE). */
function optionSet(header: Node): Record<string, string> {
  const o = ((header.OptionSet ?? {}) as Node).Option;
  const list = Array.isArray(o) ? o : o ? [o] : [];
  return Object.fromEntries(list.map((n) => [String((n as Node)['@_Name'] ?? ''), text(n)]));
}

/** Why: the fields every operation needs; a document that is no SOAP envelope throws. */
export function parseRequest(xml: string): WsmanRequest {
  const doc = parser.parse(xml) as Node;
  const env = doc.Envelope as Node | undefined;
  if (!env || typeof env !== 'object') throw new Error('not a SOAP envelope');
  const header = (env.Header ?? {}) as Node;
  const selectors = ((header.SelectorSet ?? {}) as Node).Selector;
  const list = Array.isArray(selectors) ? selectors : selectors ? [selectors] : [];
  const shell = list.find((s) => (s as Node)['@_Name'] === 'ShellId');
  return {
    action: text(header.Action),
    messageId: text(header.MessageID),
    shellId: shell ? text(shell) : undefined,
    operationTimeoutMs: duration(text(header.OperationTimeout)),
    options: optionSet(header),
    body: (env.Body ?? {}) as Node,
  };
}

/** Why: text and attribute values written into the envelope are escaped. */
export function esc(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

function envelope(action: string, relatesTo: string, body: string): string {
  return (
    `<s:Envelope xml:lang="en-US" xmlns:s="${NS.s}" xmlns:a="${NS.a}" xmlns:x="${NS.x}" xmlns:w="${NS.w}" xmlns:rsp="${NS.rsp}" xmlns:p="${NS.p}">` +
    `<s:Header><a:Action>${action}</a:Action><a:MessageID>uuid:${randomUUID().toUpperCase()}</a:MessageID>` +
    `<a:To>${ANONYMOUS}</a:To><a:RelatesTo>${esc(relatesTo)}</a:RelatesTo></s:Header>` +
    `<s:Body>${body}</s:Body></s:Envelope>`
  );
}

/** Why: a successful operation's answer. */
export function response(action: string, req: WsmanRequest, body: string): string {
  return envelope(action, req.messageId, body);
}

export interface WsmanFault {
  /** s:Sender or s:Receiver. */
  code: 's:Sender' | 's:Receiver';
  /** The WS-Management subcode, e.g. w:TimedOut. */
  subcode: string;
  reason: string;
  /** The WSManFault Code attribute (a decimal HRESULT-style number); none for what the lab does not model. */
  wsmanCode?: number;
}

/** Why: the SOAP 1.2 fault with a WSManFault detail, as Windows answers with HTTP 500. */
export function fault(req: Pick<WsmanRequest, 'messageId'>, f: WsmanFault, machine: string): string {
  const body =
    `<s:Fault><s:Code><s:Value>${f.code}</s:Value><s:Subcode><s:Value>${f.subcode}</s:Value></s:Subcode></s:Code>` +
    `<s:Reason><s:Text xml:lang="en-US">${esc(f.reason)}</s:Text></s:Reason>` +
    (f.wsmanCode === undefined
      ? ''
      : `<s:Detail><f:WSManFault xmlns:f="${NS.f}" Code="${f.wsmanCode}" Machine="${esc(machine)}">` +
        `<f:Message>${esc(f.reason)}</f:Message></f:WSManFault></s:Detail>`) +
    '</s:Fault>';
  return envelope(ACTION.wsmanFault, req.messageId, body);
}
