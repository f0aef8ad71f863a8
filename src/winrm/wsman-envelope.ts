// The SOAP envelopes of the WinRM text shell (MS-WSMV 3.1.4.5 Create, 3.1.4.11 Command, 3.1.4.13
// Send, 3.1.4.14 Receive, 3.1.4.12 Signal, 3.1.4.6 Delete; the worked exchange in MS-WSMV 4.7),
// built with xmlbuilder2. Every request carries its MaxEnvelopeSize and OperationTimeout, so the
// server bounds each operation as well as the client does (docs/winrm.md).
import { randomUUID } from 'node:crypto';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { ACTION, ANONYMOUS, NS, RESOURCE_URI_CMD, SIGNAL } from '../winrm-common/wsman-uris.ts';

export interface EnvelopeContext {
  /** The listener's URL, e.g. http://srv01:5985/wsman. */
  endpoint: string;
  /** MaxEnvelopeSize in bytes (the server's default quota: 500 KB = 512000). */
  maxEnvelopeBytes: number;
  /** OperationTimeout in seconds. */
  operationTimeoutS: number;
  /** Fixed message ids in tests; a fresh uuid otherwise. */
  messageId?: () => string;
}

interface Request {
  action: string;
  shellId?: string;
  options?: Record<string, string>;
  /** A longer OperationTimeout (Receive waits up to it). */
  timeoutS?: number;
  body: (b: XMLBuilder) => void;
}

/** Why: the header every shell message shares (addressing, size and time bounds, resource). */
function envelope(ctx: EnvelopeContext, r: Request): string {
  const doc = create({ version: '1.0', encoding: 'utf-8' });
  const env = doc.ele('s:Envelope', {
    'xmlns:s': NS.s,
    'xmlns:a': NS.a,
    'xmlns:w': NS.w,
    'xmlns:p': NS.p,
    'xmlns:rsp': NS.rsp,
  });
  const h = env.ele('s:Header');
  h.ele('a:To').txt(ctx.endpoint);
  h.ele('a:ReplyTo').ele('a:Address', { 's:mustUnderstand': 'true' }).txt(ANONYMOUS);
  h.ele('w:ResourceURI', { 's:mustUnderstand': 'true' }).txt(RESOURCE_URI_CMD);
  h.ele('a:Action', { 's:mustUnderstand': 'true' }).txt(r.action);
  h.ele('w:MaxEnvelopeSize', { 's:mustUnderstand': 'true' }).txt(String(ctx.maxEnvelopeBytes));
  h.ele('a:MessageID').txt(`uuid:${(ctx.messageId ?? randomUUID)().toUpperCase()}`);
  h.ele('w:Locale', { 'xml:lang': 'en-US', 's:mustUnderstand': 'false' });
  h.ele('p:DataLocale', { 'xml:lang': 'en-US', 's:mustUnderstand': 'false' });
  h.ele('w:OperationTimeout').txt(`PT${r.timeoutS ?? ctx.operationTimeoutS}.000S`);
  if (r.shellId) h.ele('w:SelectorSet').ele('w:Selector', { Name: 'ShellId' }).txt(r.shellId);
  if (r.options) {
    const set = h.ele('w:OptionSet');
    for (const [name, value] of Object.entries(r.options)) set.ele('w:Option', { Name: name }).txt(value);
  }
  r.body(env.ele('s:Body'));
  return doc.end({ headless: false });
}

/** The console code page every shell is opened with (WINRS_CODEPAGE): UTF-8. */
export const SHELL_CODE_PAGE = 65001;

/**
 * Why: a cmd shell with stdin and stdout/stderr, no user profile loaded, output in UTF-8 (the
 * console code page 65001, so schtasks' localized text arrives as Unicode), and an idle timeout
 * after which the server closes a shell the connector lost track of.
 */
export function createShellEnvelope(ctx: EnvelopeContext, idleTimeoutS: number): string {
  return envelope(ctx, {
    action: ACTION.create,
    options: { WINRS_NOPROFILE: 'TRUE', WINRS_CODEPAGE: String(SHELL_CODE_PAGE) },
    body: (b) => {
      const s = b.ele('rsp:Shell');
      s.ele('rsp:InputStreams').txt('stdin');
      s.ele('rsp:OutputStreams').txt('stdout stderr');
      s.ele('rsp:IdleTimeOut').txt(`PT${idleTimeoutS}.000S`);
    },
  });
}

/** Why: one command line in the shell; cmd.exe runs it as the ssh transport's lines run. */
export function commandEnvelope(ctx: EnvelopeContext, shellId: string, line: string): string {
  return envelope(ctx, {
    action: ACTION.command,
    shellId,
    options: { WINRS_CONSOLEMODE_STDIN: 'TRUE', WINRS_SKIP_CMD_SHELL: 'FALSE' },
    body: (b) => b.ele('rsp:CommandLine').ele('rsp:Command').txt(line),
  });
}

/** Why: bytes for the command's stdin (base64 in the Stream element); `end` closes its input. */
export function sendEnvelope(
  ctx: EnvelopeContext,
  shellId: string,
  commandId: string,
  data: Buffer,
  end: boolean,
): string {
  return envelope(ctx, {
    action: ACTION.send,
    shellId,
    body: (b) => {
      const attrs: Record<string, string> = { Name: 'stdin', CommandId: commandId };
      if (end) attrs.End = 'true';
      const s = b.ele('rsp:Send').ele('rsp:Stream', attrs);
      if (data.length > 0) s.txt(data.toString('base64'));
    },
  });
}

/** Why: asks for whatever output is ready, waiting up to the OperationTimeout for some. */
export function receiveEnvelope(
  ctx: EnvelopeContext,
  shellId: string,
  commandId: string,
  timeoutS?: number,
): string {
  return envelope(ctx, {
    action: ACTION.receive,
    shellId,
    ...(timeoutS === undefined ? {} : { timeoutS }),
    options: { WSMAN_CMDSHELL_OPTION_KEEPALIVE: 'TRUE' },
    body: (b) => b.ele('rsp:Receive').ele('rsp:DesiredStream', { CommandId: commandId }).txt('stdout stderr'),
  });
}

/** Why: terminate ends a command (MS-WSMV 3.1.4.12: also required after it finished). */
export function signalEnvelope(
  ctx: EnvelopeContext,
  shellId: string,
  commandId: string,
  code: keyof typeof SIGNAL = 'terminate',
): string {
  return envelope(ctx, {
    action: ACTION.signal,
    shellId,
    body: (b) => b.ele('rsp:Signal', { CommandId: commandId }).ele('rsp:Code').txt(SIGNAL[code]),
  });
}

/** Why: the shell is deleted when its work is done, so the per-user shell quota is not used up. */
export function deleteShellEnvelope(ctx: EnvelopeContext, shellId: string): string {
  return envelope(ctx, { action: ACTION.delete, shellId, body: () => {} });
}
