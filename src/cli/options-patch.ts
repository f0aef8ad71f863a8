// The flags of `wsus-connector run` that guard and shape what a run changes on each server
// (docs/usage.md#prechecks and the sections after it): prechecks, the canary's pinned set and the
// publish cutoff, uninstall and hide, self-healing. Kept apart from options.ts so each evolves alone.
import { type Command, Option } from 'commander';

export interface RawPatchOptions {
  minFreeDisk?: string;
  skipIfProcess: string[];
  pinUpdates?: string;
  publishedBefore?: string;
  selfHeal?: boolean;
  uninstall: string[];
  hide: string[];
  unhide: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Why: adds these flags to the run command in one place (help order = docs order). */
export function addPatchOptions(cmd: Command): Command {
  return cmd
    .option('--min-free-disk <size>', 'precheck: skip a server whose system drive has less free, e.g. 2GB')
    .option(
      '--skip-if-process <name>',
      'precheck: skip a server where this process runs (repeatable, or comma-separated)',
      collect,
      [],
    )
    .addOption(
      new Option(
        '--pin-updates <wave>',
        'later waves install only what the first wave installed or found (needs --waves)',
      ).choices(['canary']),
    )
    .option('--published-before <date>', 'only updates published before this date (UTC), e.g. 2026-12-01')
    .option(
      '--uninstall <kb>',
      'remove these KBs instead of installing (repeatable, or comma-separated)',
      collect,
      [],
    )
    .option(
      '--hide <kb>',
      'hide these KBs so they are not offered (repeatable, or comma-separated)',
      collect,
      [],
    )
    .option('--unhide <kb>', 'offer these hidden KBs again (repeatable, or comma-separated)', collect, [])
    .option(
      '--self-heal',
      'reset the Windows Update store once when downloads fail with a store-corruption error',
    );
}
