// The lab's WinRM shells (MS-WSMV 3.1.4.5-3.1.4.14): Create opens a cmd shell, Command starts a
// command through the lab's exec dispatch (the same one the SSH front end uses), Send feeds its
// stdin, Receive returns its output or, after OperationTimeout with nothing to say, the w:TimedOut
// fault; Signal terminate/ctrl_c ends it; Delete closes the shell. Sources: docs/lab.md "WinRM".
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { ACTION, COMMAND_STATE, NS, RESOURCE_URI_CMD, SIGNAL } from '../../winrm-common/wsman-uris.ts';
import type { ExecIo } from '../ssh/server.ts';
import { esc, response, text, type WsmanFault, type WsmanRequest } from './soap.ts';

/** Runs one command line; codePage is the shell's WINRS_CODEPAGE, when the client gave one. */
export type WinrmExec = (line: string, io: ExecIo, codePage?: number) => Promise<number>;

interface Command {
  id: string;
  stdin: PassThrough;
  out: Array<{ stream: 'stdout' | 'stderr'; data: Buffer }>;
  exitCode: number | undefined;
  wake: () => void;
}

interface Shell {
  id: string;
  commands: Map<string, Command>;
  idleMs: number;
  lastUsed: number;
  /** The console code page the client asked for (WINRS_CODEPAGE), else the host's own. */
  codePage: number | undefined;
}

/** The winrs IdleTimeout a current Windows shows (`winrm get winrm/config/winrs`), in ms. */
export const IDLE_TIMEOUT_MS = 7_200_000;

function idleTimeoutMs(body: Node): number {
  // rsp:IdleTimeOut as xs:duration PTnS (MS-WSMV 3.1.4.5, Create); without one, the service's default.
  const m = /^PT([\d.]+)S$/.exec(text(((body.Shell ?? {}) as Node).IdleTimeOut));
  return m ? Number(m[1]) * 1000 : IDLE_TIMEOUT_MS;
}

function shellCodePage(req: WsmanRequest): number | undefined {
  // WINRS_CODEPAGE sets the shell's console code page, which chcp then reports (docs/lab.md "WinRM").
  const v = req.options.WINRS_CODEPAGE;
  return v && /^\d{1,5}$/.test(v) ? Number(v) : undefined;
}

export type Answer = { xml: string } | { fault: WsmanFault };

/** MS-WSMV: w:TimedOut, WSManFault 2150858793 (0x80338029), what pywinrm retries on. */
export const TIMED_OUT: WsmanFault = {
  code: 's:Receiver',
  subcode: 'w:TimedOut',
  reason:
    'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.',
  wsmanCode: 2150858793,
};

function invalidSelectors(what: string): WsmanFault {
  // The shell or command the request names does not exist (ERROR_WSMAN_INVALID_SELECTORS).
  return {
    code: 's:Sender',
    subcode: 'w:InvalidSelectors',
    reason: `The request for the Windows Remote Shell with ${what} failed because the shell was not found on the server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. Provide the correct ShellId or create a new shell and retry the operation.`,
    wsmanCode: 2150858843,
  };
}

/** Windows' winrs MaxShellsPerUser default (MS-WSMV 2.2.4.42 WinrsType). */
export const MAX_SHELLS_PER_USER = 30;

function shellQuota(max: number): WsmanFault {
  // ERROR_WSMAN_QUOTA_MAX_SHELLS, as a Windows listener answers it (docs/lab.md "WinRM quotas").
  return {
    code: 's:Sender',
    subcode: 'w:QuotaLimit',
    reason: `The WS-Management service cannot process the request. This user is allowed a maximum number of ${max} concurrent shells, which has been exceeded. Close existing shells or raise the quota for this user.`,
    wsmanCode: 2150859173,
  };
}

type Node = Record<string, unknown>;
const attr = (n: unknown, name: string) =>
  n && typeof n === 'object' ? String((n as Node)[`@_${name}`] ?? '') : '';
const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Why: one host's shells; the listener drops them all on close (a reboot). */
export class ShellStore {
  private readonly shells = new Map<string, Shell>();

  constructor(
    private readonly exec: WinrmExec,
    private readonly maxShellsPerUser = MAX_SHELLS_PER_USER,
  ) {}

  get count(): number {
    return this.shells.size;
  }

  clear(): void {
    for (const s of this.shells.values()) for (const c of s.commands.values()) c.stdin.end();
    this.shells.clear();
  }

  private live(id: string): Shell | undefined {
    const shell = this.shells.get(id);
    if (!shell) return undefined;
    const running = [...shell.commands.values()].some((c) => c.exitCode === undefined);
    if (!running && Date.now() - shell.lastUsed > shell.idleMs) {
      // Reclaimed after its IdleTimeout: from now on the server does not know the ShellId.
      this.shells.delete(id);
      return undefined;
    }
    shell.lastUsed = Date.now();
    return shell;
  }

  /** Why: dispatch by action; an unknown action is not modelled and says so. */
  async handle(req: WsmanRequest, address: string): Promise<Answer> {
    if (req.action === ACTION.create) return this.create(req, address);
    const shell = req.shellId ? this.live(req.shellId) : undefined;
    if (!shell) return { fault: invalidSelectors(`ShellId ${req.shellId ?? '(none)'}`) };
    switch (req.action) {
      case ACTION.delete:
        for (const c of shell.commands.values()) c.stdin.end();
        this.shells.delete(shell.id);
        return { xml: response(ACTION.deleteResponse, req, '') };
      case ACTION.command:
        return this.command(shell, req);
      case ACTION.send:
        return this.send(shell, req);
      case ACTION.receive:
        return this.receive(shell, req);
      case ACTION.signal:
        return this.signal(shell, req);
      default:
        return {
          fault: {
            code: 's:Sender',
            subcode: 'a:ActionNotSupported',
            reason: `The lab does not model the action ${req.action}.`,
          },
        };
    }
  }

  private create(req: WsmanRequest, address: string): Answer {
    // The lab has one user per host, so the host's shells are that user's shells.
    if (this.shells.size >= this.maxShellsPerUser) return { fault: shellQuota(this.maxShellsPerUser) };
    const id = randomUUID().toUpperCase();
    this.shells.set(id, {
      id,
      commands: new Map(),
      idleMs: idleTimeoutMs(req.body),
      lastUsed: Date.now(),
      codePage: shellCodePage(req),
    });
    const body =
      `<x:ResourceCreated><a:Address>${esc(address)}</a:Address><a:ReferenceParameters>` +
      `<w:ResourceURI>${RESOURCE_URI_CMD}</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">${id}</w:Selector>` +
      `</w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>` +
      `<rsp:Shell xmlns:rsp="${NS.rsp}"><rsp:ShellId>${id}</rsp:ShellId><rsp:ResourceUri>${RESOURCE_URI_CMD}</rsp:ResourceUri>` +
      `<rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`;
    return { xml: response(ACTION.createResponse, req, body) };
  }

  private command(shell: Shell, req: WsmanRequest): Answer {
    const line = (req.body.CommandLine ?? {}) as Node;
    const args = list(line.Arguments).map((a) => text(a));
    const commandLine = [text(line.Command), ...args].join(' ').trim();
    const id = randomUUID().toUpperCase();
    const stdin = new PassThrough();
    const cmd: Command = { id, stdin, out: [], exitCode: undefined, wake: () => {} };
    const sink = (stream: 'stdout' | 'stderr') => {
      const p = new PassThrough();
      p.on('data', (data: Buffer) => {
        cmd.out.push({ stream, data });
        cmd.wake();
      });
      return p;
    };
    shell.commands.set(id, cmd);
    const stdout = sink('stdout');
    const stderr = sink('stderr');
    void this.exec(commandLine, { stdin, stdout, stderr }, shell.codePage)
      .catch(() => 1)
      .then((code) => {
        // Let the streams flush what was written before the exit code is reported.
        setImmediate(() => {
          cmd.exitCode = code;
          cmd.wake();
        });
      });
    const body = `<rsp:CommandResponse><rsp:CommandId>${id}</rsp:CommandId></rsp:CommandResponse>`;
    return { xml: response(ACTION.commandResponse, req, body) };
  }

  private send(shell: Shell, req: WsmanRequest): Answer {
    for (const s of list(((req.body.Send ?? {}) as Node).Stream)) {
      const cmd = shell.commands.get(attr(s, 'CommandId'));
      if (!cmd) return { fault: invalidSelectors(`CommandId ${attr(s, 'CommandId')}`) };
      const data = text(s);
      if (data) cmd.stdin.write(Buffer.from(data, 'base64'));
      if (attr(s, 'End') === 'true') cmd.stdin.end();
    }
    return { xml: response(ACTION.sendResponse, req, '<rsp:SendResponse/>') };
  }

  private async receive(shell: Shell, req: WsmanRequest): Promise<Answer> {
    const desired = ((req.body.Receive ?? {}) as Node).DesiredStream;
    const cmd = shell.commands.get(attr(desired, 'CommandId'));
    if (!cmd) return { fault: invalidSelectors(`CommandId ${attr(desired, 'CommandId')}`) };
    if (cmd.out.length === 0 && cmd.exitCode === undefined) {
      const wait = req.operationTimeoutMs ?? 60_000;
      const woke = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), wait);
        cmd.wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      cmd.wake = () => {};
      if (!woke) return { fault: TIMED_OUT };
    }
    const chunks = cmd.out.splice(0);
    const streams = chunks.map(
      (c) => `<rsp:Stream Name="${c.stream}" CommandId="${cmd.id}">${c.data.toString('base64')}</rsp:Stream>`,
    );
    const done = cmd.exitCode !== undefined;
    if (done) {
      streams.push(`<rsp:Stream Name="stdout" CommandId="${cmd.id}" End="true"></rsp:Stream>`);
      streams.push(`<rsp:Stream Name="stderr" CommandId="${cmd.id}" End="true"></rsp:Stream>`);
    }
    const state = done
      ? `<rsp:CommandState CommandId="${cmd.id}" State="${COMMAND_STATE.done}"><rsp:ExitCode>${cmd.exitCode}</rsp:ExitCode></rsp:CommandState>`
      : `<rsp:CommandState CommandId="${cmd.id}" State="${COMMAND_STATE.running}"/>`;
    return {
      xml: response(
        ACTION.receiveResponse,
        req,
        `<rsp:ReceiveResponse>${streams.join('')}${state}</rsp:ReceiveResponse>`,
      ),
    };
  }

  private signal(shell: Shell, req: WsmanRequest): Answer {
    const sig = (req.body.Signal ?? {}) as Node;
    const cmd = shell.commands.get(attr(sig, 'CommandId'));
    if (!cmd) return { fault: invalidSelectors(`CommandId ${attr(sig, 'CommandId')}`) };
    const code = text(sig.Code);
    if (code === SIGNAL.terminate || code === SIGNAL.ctrlC) {
      cmd.stdin.end();
      if (code === SIGNAL.terminate) shell.commands.delete(cmd.id);
    }
    return { xml: response(ACTION.signalResponse, req, '<rsp:SignalResponse/>') };
  }
}
