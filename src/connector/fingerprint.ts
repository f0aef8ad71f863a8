// The arguments fingerprint in lock.json: only a run that would do the same thing to the host
// may take over an expired lease and resume it.
import { createHash } from 'node:crypto';
import type { TargetRunOptions } from './run-options.ts';

/** Why: hashes what changes the work on the target (mode, selection, source, restart, client). */
export function argsFingerprint(
  server: string,
  o: Pick<TargetRunOptions, 'mode' | 'restart' | 'selection' | 'source' | 'clientPath'> &
    Partial<Pick<TargetRunOptions, 'uninstall'>>,
): string {
  const sel = o.selection;
  const canonical = {
    server: server.toLowerCase(),
    mode: o.mode,
    restart: o.restart,
    source: o.source,
    clientPath: o.clientPath.toLowerCase(),
    include: sel.include ? [...sel.include].sort() : null,
    exclude: [...sel.exclude].sort(),
    categories: sel.categories ? [...sel.categories].map((c) => c.toLowerCase()).sort() : null,
    severities: sel.severities ? [...sel.severities].sort() : null,
    titleRegex: sel.titleRegex ?? null,
    skipOptional: sel.skipOptional,
    // An uninstall run is a different job: it never resumes an install run (or the reverse).
    ...(o.uninstall?.length ? { uninstall: [...o.uninstall].sort() } : {}),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16);
}
