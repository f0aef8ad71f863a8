// Reads a task XML file the way schtasks /Create /XML does (docs/windows-facts.md#task-xml): encoding rules
// first, then well-formedness, namespace, known elements, required elements and value formats. Each
// rejection carries Windows' error text and a (line,col):Element:value location line.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XML_ERROR } from '../../windows-common/schtasks-messages.ts';
import { TASK_NAMESPACE, XS_DURATION } from '../../windows-common/task-xml.ts';

export interface TaskDefinition {
  version: string;
  uri: string | null;
  description: string | null;
  author: string | null;
  startBoundary: string | null;
  endBoundary: string | null;
  triggerEnabled: boolean;
  userId: string | null;
  groupId: string | null;
  logonType: string | null;
  runLevel: string;
  multipleInstances: string;
  startWhenAvailable: boolean;
  enabled: boolean;
  allowStartOnDemand: boolean;
  executionTimeLimit: string;
  /** Settings/DeleteExpiredTaskAfter; null (absent) = never delete an expired task. */
  deleteExpiredTaskAfter: string | null;
  command: string;
  arguments: string;
  workingDirectory: string | null;
}

export class TaskXmlError extends Error {
  readonly lines: string[];
  constructor(lines: string[]) {
    super(lines.join(' '));
    this.name = 'TaskXmlError';
    this.lines = lines;
  }
}

type Node = Record<string, unknown>;

const BOOL = /^(true|false)$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** Allowed children per element (task schema v1.2-1.4, the parts a client task can use). */
const CHILDREN: Record<string, string[]> = {
  Task: ['RegistrationInfo', 'Triggers', 'Settings', 'Data', 'Principals', 'Actions'],
  RegistrationInfo: [
    'URI',
    'SecurityDescriptor',
    'Source',
    'Date',
    'Author',
    'Version',
    'Description',
    'Documentation',
  ],
  Triggers: [
    'TimeTrigger',
    'BootTrigger',
    'LogonTrigger',
    'CalendarTrigger',
    'IdleTrigger',
    'RegistrationTrigger',
    'EventTrigger',
    'SessionStateChangeTrigger',
  ],
  TimeTrigger: ['StartBoundary', 'EndBoundary', 'Enabled', 'ExecutionTimeLimit', 'Repetition', 'RandomDelay'],
  Repetition: ['Interval', 'Duration', 'StopAtDurationEnd'],
  Principals: ['Principal'],
  Principal: [
    'UserId',
    'LogonType',
    'GroupId',
    'DisplayName',
    'RunLevel',
    'ProcessTokenSidType',
    'RequiredPrivileges',
  ],
  Settings: [
    'AllowStartOnDemand',
    'RestartOnFailure',
    'MultipleInstancesPolicy',
    'DisallowStartIfOnBatteries',
    'StopIfGoingOnBatteries',
    'AllowHardTerminate',
    'StartWhenAvailable',
    'NetworkProfileName',
    'RunOnlyIfNetworkAvailable',
    'WakeToRun',
    'Enabled',
    'Hidden',
    'DeleteExpiredTaskAfter',
    'IdleSettings',
    'NetworkSettings',
    'ExecutionTimeLimit',
    'Priority',
    'RunOnlyIfIdle',
    'UseUnifiedSchedulingEngine',
    'DisallowStartOnRemoteAppSession',
    'MaintenanceSettings',
    'Volatile',
  ],
  IdleSettings: ['Duration', 'WaitTimeout', 'StopOnIdleEnd', 'RestartOnIdle'],
  RestartOnFailure: ['Interval', 'Count'],
  Actions: ['Exec', 'ComHandler', 'SendEmail', 'ShowMessage'],
  Exec: ['Command', 'Arguments', 'WorkingDirectory'],
};

/** Value formats Windows checks (docs/windows-facts.md#task-xml). */
const VALUES: Record<string, RegExp> = {
  StartBoundary: DATETIME,
  EndBoundary: DATETIME,
  Enabled: BOOL,
  ExecutionTimeLimit: XS_DURATION,
  DeleteExpiredTaskAfter: XS_DURATION,
  Duration: XS_DURATION,
  WaitTimeout: XS_DURATION,
  Interval: XS_DURATION,
  RandomDelay: XS_DURATION,
  AllowStartOnDemand: BOOL,
  DisallowStartIfOnBatteries: BOOL,
  StopIfGoingOnBatteries: BOOL,
  AllowHardTerminate: BOOL,
  StartWhenAvailable: BOOL,
  RunOnlyIfNetworkAvailable: BOOL,
  WakeToRun: BOOL,
  Hidden: BOOL,
  RunOnlyIfIdle: BOOL,
  StopOnIdleEnd: BOOL,
  RestartOnIdle: BOOL,
  StopAtDurationEnd: BOOL,
  Priority: /^([0-9]|10)$/,
  MultipleInstancesPolicy: /^(Parallel|Queue|IgnoreNew|StopExisting)$/,
  RunLevel: /^(LeastPrivilege|HighestAvailable)$/,
  LogonType: /^(S4U|Password|InteractiveToken|InteractiveTokenOrPassword)$/,
};

/** Why: schtasks' encoding rules: UTF-16LE+BOM works, UTF-8 BOM or a UTF-8 declaration fails. */
function decode(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    throw new TaskXmlError([XML_ERROR.malformed, '(1,2)::ERROR: incorrect document syntax']);
  }
  const text = buf.toString('latin1');
  if (/^<\?xml[^>]*encoding="(?!UTF-16")[^"]*"/i.test(text) && /encoding="UTF-8"/i.test(text)) {
    throw new TaskXmlError([XML_ERROR.malformed, '(1,40)::ERROR: unable to switch the encoding']);
  }
  return text;
}

/** Why: Windows names the line and column of the offending element. */
function locate(text: string, name: string, value = ''): string {
  const i = Math.max(0, text.indexOf(`<${name}`));
  const before = text.slice(0, i).split('\n');
  return `(${before.length},${(before.at(-1)?.length ?? 0) + 2}):${name}:${value}`;
}

function tagOf(n: Node): string | undefined {
  return Object.keys(n).find((k) => k !== ':@' && k !== '#text');
}

function textOf(children: unknown): string {
  const arr = (children as Node[]) ?? [];
  return arr.map((c) => (typeof c['#text'] === 'string' ? c['#text'] : '')).join('');
}

// One parser for every task: its options are built once (a fleet's lab registers thousands).
const parser = new XMLParser({
  ignoreAttributes: false,
  preserveOrder: true,
  parseTagValue: false,
  trimValues: true,
});

/** Why: the full, validated definition or a TaskXmlError with schtasks' output lines. */
export function parseTaskXml(buf: Buffer): TaskDefinition {
  const text = decode(buf);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new TaskXmlError([
      XML_ERROR.malformed,
      `(${valid.err.line},${valid.err.col})::ERROR: ${valid.err.msg}`,
    ]);
  }
  const doc = parser.parse(text) as Node[];
  const root = doc.find((n) => tagOf(n) === 'Task' || (tagOf(n) && !tagOf(n)?.startsWith('?')));
  if (!root || tagOf(root) !== 'Task') {
    throw new TaskXmlError([XML_ERROR.unexpectedNode, locate(text, root ? (tagOf(root) ?? '') : '')]);
  }
  const rootAttrs = (root[':@'] ?? {}) as Record<string, string>;
  if (rootAttrs['@_xmlns'] !== TASK_NAMESPACE)
    throw new TaskXmlError([XML_ERROR.namespace, locate(text, 'Task')]);
  const version = rootAttrs['@_version'] ?? '';
  if (!/^\d+(\.\d+){1,3}$/.test(version))
    throw new TaskXmlError([XML_ERROR.invalidValue, locate(text, 'Task', version)]);

  const values = new Map<string, string>();
  const seen = new Set<string>();
  const walk = (name: string, children: Node[], path: string) => {
    for (const c of children) {
      const tag = tagOf(c);
      if (!tag) continue;
      if (tag.includes(':')) throw new TaskXmlError([XML_ERROR.namespace, locate(text, tag)]);
      if (!CHILDREN[name]?.includes(tag))
        throw new TaskXmlError([XML_ERROR.unexpectedNode, locate(text, tag)]);
      const kids = c[tag] as Node[];
      const p = `${path}/${tag}`;
      seen.add(p);
      if (CHILDREN[tag]) {
        walk(tag, kids, p);
      } else {
        const v = textOf(kids).trim();
        const re = VALUES[tag];
        if (re && !re.test(v)) throw new TaskXmlError([XML_ERROR.invalidValue, locate(text, tag, v)]);
        values.set(p, v);
      }
    }
  };
  walk('Task', root.Task as Node[], '');

  if (!seen.has('/Actions')) throw new TaskXmlError([XML_ERROR.missingNode, locate(text, 'Task')]);
  if (!seen.has('/Actions/Exec')) throw new TaskXmlError([XML_ERROR.missingNode, locate(text, 'Actions')]);
  if (!values.get('/Actions/Exec/Command'))
    throw new TaskXmlError([XML_ERROR.missingNode, locate(text, 'Exec')]);
  if (seen.has('/Triggers/TimeTrigger') && !values.has('/Triggers/TimeTrigger/StartBoundary')) {
    throw new TaskXmlError([XML_ERROR.missingNode, locate(text, 'TimeTrigger')]);
  }
  const v = (p: string) => values.get(p) ?? null;
  const b = (p: string, dflt: boolean) => (values.has(p) ? values.get(p) === 'true' : dflt);
  return {
    version,
    uri: v('/RegistrationInfo/URI'),
    description: v('/RegistrationInfo/Description'),
    author: v('/RegistrationInfo/Author'),
    startBoundary: v('/Triggers/TimeTrigger/StartBoundary'),
    endBoundary: v('/Triggers/TimeTrigger/EndBoundary'),
    triggerEnabled: b('/Triggers/TimeTrigger/Enabled', true),
    userId: v('/Principals/Principal/UserId'),
    groupId: v('/Principals/Principal/GroupId'),
    logonType: v('/Principals/Principal/LogonType'),
    runLevel: v('/Principals/Principal/RunLevel') ?? 'LeastPrivilege',
    multipleInstances: v('/Settings/MultipleInstancesPolicy') ?? 'IgnoreNew',
    startWhenAvailable: b('/Settings/StartWhenAvailable', false),
    enabled: b('/Settings/Enabled', true),
    allowStartOnDemand: b('/Settings/AllowStartOnDemand', true),
    executionTimeLimit: v('/Settings/ExecutionTimeLimit') ?? 'PT72H',
    deleteExpiredTaskAfter: v('/Settings/DeleteExpiredTaskAfter') ?? null,
    command: v('/Actions/Exec/Command') ?? '',
    arguments: v('/Actions/Exec/Arguments') ?? '',
    workingDirectory: v('/Actions/Exec/WorkingDirectory'),
  };
}

/** Why: xs:duration to milliseconds, for ExecutionTimeLimit (PT0S = no limit). */
export function durationMs(d: string): number {
  const m = XS_DURATION.exec(d);
  if (!m) return 0;
  const n = (i: number) => Number.parseFloat(m[i] ?? '0') || 0;
  return ((((n(1) * 365 + n(2) * 30 + n(3)) * 24 + n(5)) * 60 + n(6)) * 60 + n(7)) * 1000;
}
