// schtasks' en-US messages and the Task Scheduler error texts (docs/windows-facts.md#schtasks-messages and
// #task-result-codes), in one place so the emulation prints exactly what the ssh adapter's classifier must
// recognise.

export interface SchtasksOutput {
  code: number;
  stdout: string;
  stderr: string;
}

const CRLF = '\r\n';

/** Why: every success line goes to stdout with exit 0. */
export function ok(line: string): SchtasksOutput {
  return { code: 0, stdout: `${line}${CRLF}`, stderr: '' };
}

/** Why: every failure goes to stderr with exit 1 (docs/windows-facts.md#schtasks-messages). */
export function fail(...lines: string[]): SchtasksOutput {
  return { code: 1, stdout: '', stderr: lines.map((l) => `${l}${CRLF}`).join('') };
}

export const MSG = {
  created: (n: string) => `SUCCESS: The scheduled task "${n}" has successfully been created.`,
  exists: (n: string) => `WARNING: The task name "${n}" already exists. Do you want to replace it (Y/N)? `,
  ran: (n: string) => `SUCCESS: Attempted to run the scheduled task "${n}".`,
  ended: (n: string) => `SUCCESS: The scheduled task "${n}" has been terminated successfully.`,
  deleted: (n: string) => `SUCCESS: The scheduled task "${n}" was successfully deleted.`,
  notFound: 'ERROR: The system cannot find the file specified.',
  denied: 'ERROR: Access is denied.',
  badName: 'ERROR: The filename, directory name, or volume label syntax is incorrect.',
  noMapping: 'ERROR: No mapping between account names and security IDs was done.',
  badSwitch: (s: string) => `ERROR: Invalid argument/option - '${s}'.`,
  usage: (verb: string) => `Type "SCHTASKS ${verb ? `${verb.toUpperCase()} ` : ''}/?" for usage.`,
} as const;

/**
 * The Task Scheduler XML errors (SCHED_E_*, docs/windows-facts.md#task-result-codes) with their system
 * message texts.
 */
export const XML_ERROR = {
  malformed: 'ERROR: The task XML is malformed.',
  unexpectedNode: 'ERROR: The task XML contains an unexpected node.',
  namespace: 'ERROR: The task XML contains an element or attribute from an unexpected namespace.',
  invalidValue: 'ERROR: The task XML contains a value which is incorrectly formatted or out of range.',
  missingNode: 'ERROR: The task XML is missing a required element or attribute.',
} as const;
