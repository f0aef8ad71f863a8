// Which flags of `wsus-connector run` name files it reads and which name files it writes, and the
// check that keeps the two apart (output-paths.ts). A new output flag is one row of OUTPUT_FLAGS.
import { resolve as resolvePath } from 'node:path';
import type { RawRunOptions } from './options.ts';
import { checkOutputs, type FlagTable, type NamedPath, namedPaths } from './output-paths.ts';

/** Every flag whose value is a file the run reads. */
const INPUT_FLAGS: FlagTable<RawRunOptions> = [
  ['--inventory', 'inventory'],
  ['--servers-file', 'serversFile'],
  ['--include-list', 'includeList'],
  ['--exclude-list', 'excludeList'],
  ['--ssh-known-hosts', 'sshKnownHosts'],
  ['--ssh-identity', 'sshIdentity'],
  ['--client-file', 'clientFile'],
  ['--client-path', 'clientPath'],
  ['--credential-file', 'credentialFile'],
];

/** Every flag whose value is a file the run writes (a folder it writes in: add 'folder'). */
const OUTPUT_FLAGS: FlagTable<RawRunOptions> = [
  ['--report', 'report'],
  ['--report-junit', 'reportJunit'],
  ['--report-html', 'reportHtml'],
  ['--log-dir', 'logDir', 'folder'],
];

/** Why: the run's outputs, checked against its flags' inputs and the files its inventory names. */
export function checkRunOutputs(raw: RawRunOptions, cwd: string, inventoryFiles: NamedPath[] = []): void {
  const inputs = [...namedPaths(raw, INPUT_FLAGS, cwd), ...inventoryFiles];
  checkOutputs(namedPaths(raw, OUTPUT_FLAGS, cwd), inputs);
}

/**
 * Why: a usage error still writes a report, but only where that destroys nothing: not over an
 * input, and not while the inventory (whose files could be the report) cannot be read.
 */
export async function usageReportSafe(
  raw: RawRunOptions,
  cwd: string,
  inventoryFiles: (path: string) => Promise<NamedPath[]>,
): Promise<boolean> {
  try {
    const named = raw.inventory ? await inventoryFiles(resolvePath(cwd, raw.inventory)) : [];
    checkRunOutputs(raw, cwd, named);
    return true;
  } catch {
    return false;
  }
}
