// One WinRM text shell (MS-WSMV 3.1.4: Create, Command, Send, Receive, Signal, Delete) over any
// way of posting an envelope: every message has its own bound, a Receive that times out on the
// server (the OperationTimeout fault) is asked again, and faults become named TargetErrors.
import { TargetError } from '../connector/ports.ts';
import {
  commandEnvelope,
  createShellEnvelope,
  deleteShellEnvelope,
  type EnvelopeContext,
  receiveEnvelope,
  sendEnvelope,
  signalEnvelope,
} from './wsman-envelope.ts';
import { FAULT_OPERATION_TIMEOUT, faultToTargetError } from './wsman-faults.ts';
import {
  parseCommandId,
  parseEnvelope,
  parseReceive,
  parseShellId,
  type ReceiveChunk,
  WsmanFaultError,
} from './wsman-response.ts';

/** Posts one envelope and resolves with the answer's XML (a fault's too); throws TargetError. */
export type PostEnvelope = (xml: string, timeoutMs: number) => Promise<string>;

export interface ShellLimits {
  /** OperationTimeout of every message but Receive, seconds. */
  operationTimeoutS: number;
  /** How long one Receive waits on the server for output, seconds. */
  receiveTimeoutS: number;
  /** What the client adds to the server's bound before it gives up on an answer, ms. */
  graceMs: number;
  /** The shell's IdleTimeOut, seconds: the server deletes a shell the connector lost. */
  idleTimeoutS: number;
  /** MaxEnvelopeSize, bytes (Windows' default MaxEnvelopeSizekb is 500). */
  maxEnvelopeBytes: number;
}

export const DEFAULT_SHELL_LIMITS: ShellLimits = {
  operationTimeoutS: 60,
  receiveTimeoutS: 20,
  graceMs: 10_000,
  idleTimeoutS: 900,
  maxEnvelopeBytes: 512_000,
};

/** Why: the raw bytes a Send may carry so its envelope (base64 + header) stays under the quota. */
export function sendChunkBytes(limits: ShellLimits): number {
  return Math.floor(((limits.maxEnvelopeBytes - 8192) * 3) / 4 / 1024) * 1024;
}

export class WsmanShell {
  private constructor(
    private readonly post: PostEnvelope,
    private readonly ctx: EnvelopeContext,
    private readonly limits: ShellLimits,
    private readonly server: string,
    readonly id: string,
  ) {}

  /** Why: a shell is what every command runs in; its id names it in every later message. */
  static async open(
    post: PostEnvelope,
    ctx: EnvelopeContext,
    limits: ShellLimits,
    server: string,
  ): Promise<WsmanShell> {
    const xml = await call(
      post,
      server,
      'create a shell',
      createShellEnvelope(ctx, limits.idleTimeoutS),
      opMs(limits),
    );
    return new WsmanShell(post, ctx, limits, server, parseShellId(xml));
  }

  /** Why: starts one command line; its output is read with receive(). */
  async start(line: string): Promise<string> {
    const xml = await this.call(`start "${line.slice(0, 80)}"`, commandEnvelope(this.ctx, this.id, line));
    return parseCommandId(xml);
  }

  /** Why: stdin bytes, within one envelope each; `end` closes the command's input. */
  async send(commandId: string, data: Buffer, end = false): Promise<void> {
    const step = sendChunkBytes(this.limits);
    const parts: Buffer[] = [];
    for (let at = 0; at < data.length; at += step) parts.push(data.subarray(at, at + step));
    if (parts.length === 0) {
      if (!end) return;
      parts.push(Buffer.alloc(0));
    }
    for (const [i, part] of parts.entries()) {
      const last = end && i === parts.length - 1;
      await this.call('send input', sendEnvelope(this.ctx, this.id, commandId, part, last));
    }
  }

  /** Why: what output is ready; a server-side timeout with nothing to say is an empty chunk. */
  async receive(commandId: string): Promise<ReceiveChunk> {
    const l = this.limits;
    const xml = await this.post(
      receiveEnvelope(this.ctx, this.id, commandId, l.receiveTimeoutS),
      l.receiveTimeoutS * 1000 + l.graceMs,
    );
    try {
      return parseReceive(xml);
    } catch (err) {
      if (err instanceof WsmanFaultError) {
        if (err.fault.code === FAULT_OPERATION_TIMEOUT)
          return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
        throw faultToTargetError(this.server, 'receive output', err.fault);
      }
      throw new TargetError('unreachable', `${this.server}: receive output: ${(err as Error).message}`);
    }
  }

  /** Why: MS-WSMV asks for a terminate signal after a command ends, and it stops a running one. */
  async signal(commandId: string, code: 'terminate' | 'ctrlC' = 'terminate'): Promise<void> {
    await this.call(`signal ${code}`, signalEnvelope(this.ctx, this.id, commandId, code));
  }

  /** Why: a command given up on gets ctrl_c (MS-WSMV 3.1.4.12) so it ends, then terminate. */
  async abandon(commandId: string): Promise<void> {
    await this.signal(commandId, 'ctrlC').catch(() => {});
    await this.signal(commandId).catch(() => {});
  }

  /** Why: frees the shell (the per-user shell quota); a shell already gone is fine. */
  async close(): Promise<void> {
    await this.call('delete the shell', deleteShellEnvelope(this.ctx, this.id)).catch(() => {});
  }

  private call(what: string, xml: string): Promise<string> {
    return call(this.post, this.server, what, xml, opMs(this.limits));
  }
}

function opMs(l: ShellLimits): number {
  return l.operationTimeoutS * 1000 + l.graceMs;
}

/** Why: one request and its answer checked, a fault thrown as the TargetError it stands for. */
async function call(
  post: PostEnvelope,
  server: string,
  what: string,
  xml: string,
  ms: number,
): Promise<string> {
  const answer = await post(xml, ms);
  try {
    parseEnvelope(answer);
  } catch (err) {
    if (err instanceof WsmanFaultError) throw faultToTargetError(server, what, err.fault);
    throw new TargetError('unreachable', `${server}: ${what}: ${(err as Error).message}`);
  }
  return answer;
}

export interface CommandResult {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/**
 * Why: one command to its end within `ms`: its stdin sent (and closed), its output received
 * until Done, then the terminate signal MS-WSMV asks for.
 */
export async function runInShell(
  shell: WsmanShell,
  line: string,
  stdin: Buffer,
  ms: number,
  server: string,
): Promise<CommandResult> {
  const until = Date.now() + ms;
  const id = await shell.start(line);
  await shell.send(id, stdin, true);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  for (;;) {
    const chunk = await shell.receive(id);
    out.push(chunk.stdout);
    err.push(chunk.stderr);
    if (chunk.exit) {
      await shell.signal(id).catch(() => {});
      return { code: chunk.exit.code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
    }
    if (Date.now() > until) {
      await shell.abandon(id);
      throw new TargetError(
        'unreachable',
        `${server}: "${line.slice(0, 80)}" did not end in ${Math.round(ms / 1000)} s`,
      );
    }
  }
}
