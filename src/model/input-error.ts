// Bad input from the operator (a list file, a duration, a regex, a job file). The connector maps
// it to its usage/input exit code before touching any target, so it must say exactly what is wrong.

/** A usage or input error whose message names the file, line and/or field at fault. */
export class InputError extends Error {
  /** Where the problem is, e.g. "exclude.txt:3" or "--title"; also part of the message. */
  readonly where: string | undefined;
  constructor(message: string, where?: string) {
    // Capped: hostile input must not be echoed whole into stderr and the report.
    super(clip(where ? `${where}: ${message}` : message, 4000));
    this.name = 'InputError';
    this.where = where;
  }
}

/** Why: a bad line or value is quoted in a message, but never more than `max` characters of it. */
export function clip(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
