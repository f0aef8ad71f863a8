// The Task Scheduler XML the connector registers with `schtasks /Create /XML`
// (docs/windows-facts.md#task-xml): a one-shot time trigger with an explicit UTC offset, running the client
// as SYSTEM at the highest run level. Written as UTF-16LE with a BOM, the encoding Windows' own export uses
// and the only declared encoding schtasks is known to accept (docs/windows-facts.md#task-xml-encoding).
import { create } from 'xmlbuilder2';
import type { TaskDefinition } from '../model/task-definition.ts';

export const TASK_NAMESPACE = 'http://schemas.microsoft.com/windows/2004/02/mit/task';

/** The definition without its staging path: what the XML itself says. */
export type TaskXmlSpec = Omit<TaskDefinition, 'xmlPath'>;

/** xs:duration as the task schema uses it (PT72H, P1DT2H); shared with the lab's XML check. */
export const XS_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/**
 * Why: a trigger time must carry an explicit offset so a target abroad never shifts it
 * (docs/windows-facts.md#time-zones).
 */
export function formatBoundary(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new Error('task XML: invalid date for a trigger boundary');
  // Seconds precision: the documented form is YYYY-MM-DDTHH:MM:SS(+-)HH:MM.
  return `${d.toISOString().slice(0, 19)}+00:00`;
}

/** The texts a task's XML carries; an optional one that is absent leaves its element out. */
export interface TaskXmlText {
  description: string;
  uri?: string;
  start: string;
  end?: string;
  limit: string;
  command: string;
  arguments?: string;
  workingDirectory?: string;
}

/** Why: the single place that knows which task settings keep the client run safe and unattended. */
export function renderTaskXml(t: TaskXmlText): string {
  const doc = create({ version: '1.0', encoding: 'UTF-16' });
  const task = doc.ele(TASK_NAMESPACE, 'Task', { version: '1.2' });

  const reg = task.ele('RegistrationInfo');
  reg.ele('Author').txt('wsus-connector');
  reg.ele('Description').txt(t.description);
  if (t.uri !== undefined) reg.ele('URI').txt(t.uri);

  const trigger = task.ele('Triggers').ele('TimeTrigger');
  trigger.ele('StartBoundary').txt(t.start);
  if (t.end !== undefined) trigger.ele('EndBoundary').txt(t.end);
  trigger.ele('Enabled').txt('true');

  // SYSTEM by SID, no LogonType: the safest principal per docs/windows-facts.md#task-xml.
  const principal = task.ele('Principals').ele('Principal', { id: 'Author' });
  principal.ele('UserId').txt('S-1-5-18');
  principal.ele('RunLevel').txt('HighestAvailable');

  const settings = task.ele('Settings');
  const flags: [string, string][] = [
    ['MultipleInstancesPolicy', 'IgnoreNew'],
    ['DisallowStartIfOnBatteries', 'false'],
    ['StopIfGoingOnBatteries', 'false'],
    ['AllowHardTerminate', 'true'],
    ['StartWhenAvailable', 'true'],
    ['AllowStartOnDemand', 'true'],
    ['Enabled', 'true'],
    ['Hidden', 'false'],
    ['WakeToRun', 'false'],
    ['ExecutionTimeLimit', t.limit],
  ];
  for (const [name, value] of flags) settings.ele(name).txt(value);
  // Only meaningful with an EndBoundary: the task then cleans itself up if the connector cannot.
  if (t.end !== undefined) settings.ele('DeleteExpiredTaskAfter').txt('PT1H');
  settings.ele('Priority').txt('7');
  const idle = settings.ele('IdleSettings');
  idle.ele('StopOnIdleEnd').txt('false');
  idle.ele('RestartOnIdle').txt('false');

  const exec = task.ele('Actions', { Context: 'Author' }).ele('Exec');
  exec.ele('Command').txt(t.command);
  if (t.arguments !== undefined) exec.ele('Arguments').txt(t.arguments);
  if (t.workingDirectory !== undefined) exec.ele('WorkingDirectory').txt(t.workingDirectory);

  return doc.end({ prettyPrint: true });
}

/** Why: the texts of a definition, checked; an empty optional text leaves its element out. */
export function taskTexts(spec: TaskXmlSpec): TaskXmlText {
  if (!XS_DURATION.test(spec.executionTimeLimit)) {
    throw new Error(
      `task XML: executionTimeLimit "${spec.executionTimeLimit}" is not an xs:duration like PT4H`,
    );
  }
  if (spec.command.trim() === '') throw new Error('task XML: command is empty');
  if (spec.endBoundary && spec.endBoundary.getTime() <= spec.startBoundary.getTime()) {
    throw new Error('task XML: endBoundary must be after startBoundary');
  }
  return {
    description: spec.description,
    ...(spec.uri ? { uri: spec.uri } : {}),
    start: formatBoundary(spec.startBoundary),
    ...(spec.endBoundary ? { end: formatBoundary(spec.endBoundary) } : {}),
    limit: spec.executionTimeLimit,
    command: spec.command,
    ...(spec.arguments ? { arguments: spec.arguments } : {}),
    ...(spec.workingDirectory ? { workingDirectory: spec.workingDirectory } : {}),
  };
}

/** Why: xmlbuilder2's escaping of a text node (an `&` that already starts an entity is kept). */
export function escapeXmlText(text: string): string {
  return text
    .replace(/&(?![A-Za-z]+;|#\d+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Markers for the texts in a skeleton: private-use characters, which XML passes unescaped. */
const slot = (key: string) => `\uE000${key}\uE001`;
const SLOT_RE = /\uE000([A-Za-z]+)\uE001/;

/** The document of each shape (which optional elements it has), split around its texts. */
const skeletons = new Map<string, string[]>();

/**
 * Why: the XML of one task. xmlbuilder2 builds each shape once, with markers for the texts, and
 * each task fills in its own texts, escaped as xmlbuilder2 escapes them. A fleet registers
 * thousands of tasks of one or two shapes, and a whole tree per task cost about 0.4 ms of the
 * connector's time each (docs/scale.md; test/windows-common/task-xml.test.ts compares the two).
 */
export function buildTaskXml(spec: TaskXmlSpec): string {
  const texts = taskTexts(spec);
  const keys = Object.keys(texts) as (keyof TaskXmlText)[];
  const shape = keys.join(',');
  let parts = skeletons.get(shape);
  if (!parts) {
    const marked = Object.fromEntries(keys.map((k) => [k, slot(k)])) as unknown as TaskXmlText;
    parts = renderTaskXml(marked).split(SLOT_RE);
    skeletons.set(shape, parts);
  }
  let xml = '';
  // split() with a capture group alternates document text and the key of the text that follows.
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    xml += i % 2 === 0 ? part : escapeXmlText(texts[part as keyof TaskXmlText] as string);
  }
  return xml;
}

/** Why: schtasks rejects UTF-8 with a BOM or a UTF-8 declaration; UTF-16LE + BOM is what Windows exports. */
export function encodeTaskXml(xml: string): Buffer {
  if (!/^<\?xml[^>]*encoding="UTF-16"/.test(xml)) {
    throw new Error('task XML: the declaration must say encoding="UTF-16" before encoding as UTF-16LE');
  }
  // Windows' exports use CRLF line ends.
  const text = xml.replace(/\r?\n/g, '\r\n');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/** Why: what an adapter writes to the target before `schtasks /Create /XML`. */
export function taskXmlFile(spec: TaskXmlSpec): Buffer {
  return encodeTaskXml(buildTaskXml(spec));
}
