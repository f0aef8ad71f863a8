// Sizes on the command line (--min-free-disk) are written like 500MB, 2GB or 1.5GB
// (docs/usage.md#prechecks); binary units, as Windows Explorer counts them.

import { InputError } from './input-error.ts';

const UNIT_MB = { mb: 1, gb: 1024, tb: 1024 * 1024 } as const;

/** Why: one parser for a size flag; the value in MB (what Win32_LogicalDisk FreeSpace is compared in). */
export function parseSizeMB(text: string, where?: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(mb|gb|tb)$/i.exec(text.trim());
  if (!m) throw new InputError(`"${text}" is not a size; write it like 500MB, 2GB or 1.5GB`, where);
  const mb = Math.round(Number(m[1]) * UNIT_MB[(m[2] as string).toLowerCase() as keyof typeof UNIT_MB]);
  if (mb <= 0) throw new InputError(`"${text}" must be more than 0MB`, where);
  return mb;
}
