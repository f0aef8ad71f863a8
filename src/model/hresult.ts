// Formatting and lookup of HRESULTs: WUA and PowerShell hand them over signed, schtasks prints
// them as signed decimals, people search for them as 0x8… hex. One module turns all into one form.
import { type HresultInfo, SCHED_RESULTS, WUA_HRESULTS } from './hresult-table.ts';
import { InputError } from './input-error.ts';

export type { HresultInfo } from './hresult-table.ts';

const BY_CODE = new Map<number, HresultInfo>();
for (const info of [...WUA_HRESULTS, ...SCHED_RESULTS]) BY_CODE.set(info.code, info);

/** Why: PowerShell and schtasks give signed int32; everything here keeps the unsigned form. */
export function toUnsigned(n: number): number {
  return n >>> 0;
}

/** Why: schtasks' "Last Result" and PowerShell's HResult print the signed form. */
export function toSigned(n: number): number {
  return n | 0;
}

/** Why: the conventional spelling, e.g. 0x800F0922 (upper-case, 8 digits). */
export function formatHresult(n: number): string {
  return `0x${toUnsigned(n).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** Why: the known row for a code, whichever form (signed or unsigned) it arrives in. */
export function lookupHresult(n: number): HresultInfo | undefined {
  return BY_CODE.get(toUnsigned(n));
}

/** Why: reports show the symbol; an unknown code still prints as something searchable (hex). */
export function hresultName(n: number): string {
  return lookupHresult(n)?.name ?? formatHresult(n);
}

/** Why: one line for job output, e.g. "0x800F0922 CBS_E_INSTALLERS_FAILED: a servicing installer…". */
export function describeHresult(n: number): string {
  const info = lookupHresult(n);
  if (!info) return `${formatHresult(n)}: unknown error code`;
  return `${formatHresult(n)}${info.name ? ` ${info.name}` : ''}: ${info.meaning}`;
}

/** Why: accepts every spelling an operator or a tool uses ('0x800F0922', '-2146498270', 2148468994). */
export function parseHresult(input: string | number, where?: string): number {
  if (typeof input === 'number') {
    if (!Number.isInteger(input) || input < -0x80000000 || input > 0xffffffff) {
      throw new InputError(`${input} is not a 32-bit HRESULT`, where);
    }
    return toUnsigned(input);
  }
  const text = input.trim();
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return Number.parseInt(text.slice(2), 16) >>> 0;
  if (/^-?\d{1,10}$/.test(text)) return parseHresult(Number(text), where);
  throw new InputError(`"${input}" is not an HRESULT (0x800F0922 or a decimal like -2146498270)`, where);
}

/** Why: a task's Last Result is either the client's exit code or a Task Scheduler/Win32 HRESULT. */
export function describeTaskResult(lastResult: number): string {
  const signed = toSigned(lastResult);
  if (signed >= 0 && signed < 0x10000) return `exit code ${signed}`;
  const info = lookupHresult(lastResult);
  if (info?.name) return `${info.name} (${formatHresult(lastResult)}): ${info.meaning}`;
  return describeHresult(lastResult);
}
