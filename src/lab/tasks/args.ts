// schtasks' command line as the lab receives it (cmd.exe tokens, quotes removed): the verb and
// its switches, checked the way schtasks checks them (case-insensitive, unknown switch = error).
import { fail, MSG, type SchtasksOutput } from '../../windows-common/schtasks-messages.ts';

export type Verb = 'create' | 'run' | 'end' | 'delete' | 'query';

export interface SchtasksArgs {
  verb: Verb;
  tn?: string;
  xml?: string;
  force: boolean;
  fo?: string;
  verbose: boolean;
  noHeader: boolean;
}

const VALUE_SWITCHES: Record<Verb, string[]> = {
  create: ['/TN', '/XML'],
  run: ['/TN'],
  end: ['/TN'],
  delete: ['/TN'],
  query: ['/TN', '/FO'],
};
const FLAG_SWITCHES: Record<Verb, string[]> = {
  create: ['/F'],
  run: [],
  end: [],
  delete: ['/F'],
  query: ['/V', '/NH'],
};

/** Why: a parsed command, or the error output schtasks gives for a bad one. */
export function parseSchtasksArgs(args: string[]): SchtasksArgs | SchtasksOutput {
  const first = args[0] ?? '';
  const verb = first.replace(/^\//, '').toLowerCase() as Verb;
  if (!first.startsWith('/') || !(verb in VALUE_SWITCHES)) {
    return fail(MSG.badSwitch(first || '(none)'), MSG.usage(''));
  }
  const out: SchtasksArgs = { verb, force: false, verbose: false, noHeader: false };
  for (let i = 1; i < args.length; i++) {
    const sw = (args[i] ?? '').toUpperCase();
    if (VALUE_SWITCHES[verb].includes(sw)) {
      const value = args[i + 1];
      if (value === undefined) return fail(`ERROR: Missing value for '${args[i]}'.`, MSG.usage(first));
      i++;
      if (sw === '/TN') out.tn = value;
      else if (sw === '/XML') out.xml = value;
      else out.fo = value.toUpperCase();
    } else if (FLAG_SWITCHES[verb].includes(sw)) {
      if (sw === '/F') out.force = true;
      else if (sw === '/V') out.verbose = true;
      else out.noHeader = true;
    } else {
      return fail(MSG.badSwitch(args[i] ?? ''), MSG.usage(first));
    }
  }
  if (verb !== 'query' && !out.tn) return fail("ERROR: Missing value for '/TN'.", MSG.usage(first));
  if (verb === 'create' && !out.xml) return fail(MSG.badSwitch('/TN'), MSG.usage(first));
  if (out.verbose && out.fo !== 'CSV' && out.fo !== 'LIST')
    return fail(MSG.badSwitch('/V'), MSG.usage(first));
  if (out.noHeader && out.fo !== 'CSV' && out.fo !== 'TABLE' && out.fo !== undefined) {
    return fail(MSG.badSwitch('/NH'), MSG.usage(first));
  }
  return out;
}

/** Why: "\Folder\Name" and "Folder\Name" name the same task; lookups ignore case. */
export function normaliseTaskName(name: string): string | null {
  const n = name.startsWith('\\') ? name : `\\${name}`;
  if (n.length > 239 || /[<>:"|?*/]/.test(n) || /\\\\|\\$/.test(n)) return null;
  return n;
}
