// Bad input from the operator (a list file, a duration, a regex, a job file). The connector maps
// it to its usage/input exit code before touching any target, so it must say exactly what is wrong.

/** A usage or input error whose message names the file, line and/or field at fault. */
export class InputError extends Error {
  /** Where the problem is, e.g. "exclude.txt:3" or "--title"; also part of the message. */
  readonly where: string | undefined;
  constructor(message: string, where?: string) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'InputError';
    this.where = where;
  }
}
