// An inventory file read and checked against a transport's schema the same way by the ssh and
// winrm loaders: a safe read, JSON, then every schema problem named by its JSON path.
import type { z } from 'zod';
import { InputError } from '../model/input-error.ts';
import { zodIssues } from '../model/json-path.ts';
import { readInputFile } from '../protocol/input-file.ts';

/** Why: one reading of an inventory, so both transports report a bad file alike. */
export function parseInventoryFile<S extends z.ZodType>(path: string, schema: S): z.infer<S> {
  const text = readInputFile(path, path, 'inventory');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`not valid JSON: ${(err as Error).message}`, path);
  }
  const r = schema.safeParse(json);
  if (!r.success) throw new InputError(zodIssues(r.error.issues).join('; '), path);
  return r.data;
}
