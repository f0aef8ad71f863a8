// Reading an operator's input file (list files, servers file, inventory, scenario, job file) the
// same safe way everywhere: a regular file only (a FIFO, /dev/zero or a folder is refused without
// blocking), at most a size limit, so bad input is a clear usage error and never a hang or a
// memory blow-up. Shared by the cli, the ssh inventory, the lab scenario and the client's job.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../model/input-error.ts';

/** 4 MiB: far above any real list, inventory, scenario or job file. */
export const INPUT_FILE_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Why: text of a regular file of at most maxBytes, or an InputError naming `shown` and the reason;
 * `kind` says what the file is for ("job file", "inventory").
 */
export function readInputFile(
  path: string,
  shown: string,
  kind = 'file',
  maxBytes = INPUT_FILE_MAX_BYTES,
): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? `${kind} not found` : `cannot read the ${kind} (${code ?? (err as Error).message})`,
      shown,
    );
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError('is a folder, not a file', shown);
    if (!st.isFile())
      throw new InputError('is not a regular file (a device, pipe or socket is refused)', shown);
    if (st.size > maxBytes)
      throw new InputError(`is ${st.size} bytes, more than the limit of ${maxBytes} bytes`, shown);
    // Read at most maxBytes + 1: a file that grows while read is caught too.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
      if (got > maxBytes) throw new InputError(`is more than the limit of ${maxBytes} bytes`, shown);
      if (got === buf.length) break;
    }
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
