// The `wsus-connector` command line (commander): `run` with the classic connector's parameters
// plus the extensions in docs/usage.md#run-flags, and `lab`. Values stay strings here; options-resolve.ts
// validates them all before anything touches a target.
import { Command, Option } from 'commander';
import { CLIENT_VERSION } from '../client/version.ts';
import { UPDATE_SOURCES } from '../model/update.ts';
import { addAssessCommand, type RawAssessFlags } from './options-assess.ts';
import { addPatchOptions, type RawPatchOptions } from './options-patch.ts';
import { addRolloutOptions, type RawRolloutOptions } from './options-rollout.ts';

export interface RawRunOptions extends RawRolloutOptions, RawPatchOptions {
  server: string[];
  serversFile?: string;
  clientPath?: string;
  checkOnly?: boolean;
  mode?: string;
  includeList?: string;
  excludeList?: string;
  restart?: boolean;
  category: string[];
  severity: string[];
  title?: string;
  skipOptional?: boolean;
  source?: string;
  transport?: string;
  inventory?: string;
  sshUser?: string;
  sshPort?: string;
  sshIdentity?: string;
  sshKnownHosts?: string;
  clientFile?: string;
  credentialFile?: string;
  maxCycles?: string;
  rebootTimeout?: string;
  connectTimeout?: string;
  startDelay?: string;
  startTimeout?: string;
  clientTimeout?: string;
  report?: string;
  logDir?: string;
  parallel?: string;
  exitCodes?: string;
  shard?: string;
}

export interface RawAssessOptions extends RawRunOptions, RawAssessFlags {}

export interface RawMergeOptions {
  report?: string;
  exitCodes?: string;
}

export interface RawLabOptions {
  scenario: string;
  inventory: string;
  timeScale?: string;
  spawn?: boolean;
  workers?: string;
  /** Internal: this process is worker K/N of a `lab --workers` supervisor (docs/lab.md). */
  part?: string;
}

export interface ProgramActions {
  run(raw: RawRunOptions): Promise<void>;
  lab(raw: RawLabOptions): Promise<void>;
  mergeReports?(files: string[], raw: RawMergeOptions): Promise<void>;
  assess?(raw: RawAssessOptions): Promise<void>;
  preflight?(raw: RawRunOptions): Promise<void>;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Why: the whole CLI surface in one place, so `--help` and docs/usage.md can be compared. */
export function buildProgram(
  actions: ProgramActions,
  output?: { writeOut: (s: string) => void; writeErr: (s: string) => void },
): Command {
  const program = new Command('wsus-connector')
    .description(
      'Patch Windows servers to "fully updated" across reboots, with classic OpCon WSUS result codes.',
    )
    .version(CLIENT_VERSION)
    .showHelpAfterError('(run with --help for the flags)')
    .exitOverride();
  // Before the subcommands are added: they copy these settings when created.
  if (output) program.configureOutput(output);
  addRunCommand(program, actions);
  addMergeCommand(program, actions);
  addLabCommand(program, actions);
  return program;
}

/** Why: `run`, the command that patches servers, with every flag it takes. */
function addRunCommand(program: Command, actions: ProgramActions): void {
  const run = program
    .command('run')
    .description('bring one or more servers up to date (or check them)')
    .option('--server <name>', 'server to patch (repeatable)', collect, [])
    .option('--servers-file <file>', 'file with one server per line (# comments)')
    .option('--client-path <path>', 'wsus-client: UNC path, a path on the target, or a local file to stage')
    .option(
      '--client-file <file>',
      'ssh: a local copy of the client at a UNC --client-path, staged for the commands run inside the SSH session',
    )
    .option('--check-only', 'only report available updates (same as --mode check)')
    .addOption(
      new Option('--mode <mode>', 'check, download or install (default install)').choices([
        'check',
        'download',
        'install',
      ]),
    )
    .option('--include-list <file>', 'only these KBs / update GUIDs (one per line)')
    .option('--exclude-list <file>', 'never these KBs / update GUIDs (one per line)')
    .option('--restart', 'allow reboots (pending, or required by an install)')
    .option('--category <name>', 'classification to keep (repeatable, or comma-separated)', collect, [])
    .option('--severity <name>', 'MSRC severity to keep (repeatable, or comma-separated)', collect, [])
    .option('--title <regex>', 'keep updates whose title matches (case-insensitive)')
    .option('--skip-optional', 'leave optional updates alone')
    .addOption(new Option('--source <source>', 'update source (default: default)').choices(UPDATE_SOURCES))
    .addOption(
      new Option(
        '--transport <transport>',
        'windows, ssh or winrm (default: windows on Windows, else ssh)',
      ).choices(['windows', 'ssh', 'winrm']),
    )
    .option(
      '--inventory <file>',
      'ssh/winrm: hosts with address, port, user, credential file and host key (or winrm endpoint)',
    )
    .option('--ssh-user <user>', 'ssh: user name (without --inventory)')
    .option('--ssh-port <port>', 'ssh: port (default 22)')
    .option('--ssh-identity <file>', 'ssh: private key file')
    .option(
      '--ssh-known-hosts <file>',
      "ssh: known_hosts file with the servers' host keys (default ~/.ssh/known_hosts)",
    )
    .option(
      '--credential-file <file>',
      'windows: JSON {"user","password"} file (mode 0600) instead of your own identity',
    )
    .option('--report <file.json>', 'write the JSON report here')
    .option(
      '--log-dir <dir>',
      "each server's full job output in its own file here (default with several servers: beside the report, else a temp folder)",
    )
    .option('--parallel <n>', 'servers at a time (default 1)')
    .addOption(
      new Option('--exit-codes <scheme>', 'opcon or posix (default: opcon on Windows, else posix)').choices([
        'opcon',
        'posix',
      ]),
    );
  addTimingOptions(run);
  // Beyond one box (docs/scale.md): one share of the fleet per scheduler job.
  run.option('--shard <K/N>', "patch only share K of N (stable: a hash of each server's name)");
  addPatchOptions(addRolloutOptions(run)).action((opts: RawRunOptions) => actions.run(opts));
  if (actions.assess) addAssessCommand(program, run, actions.assess);
  if (actions.preflight) addPreflightCommand(program, run, actions.preflight);
}

/** Why: preflight takes every run flag, so it checks exactly the servers and access a run would use. */
function addPreflightCommand(
  program: Command,
  run: Command,
  action: (opts: RawRunOptions) => Promise<void>,
): void {
  const pre = program.command('preflight').description('check each server can be patched, changing nothing');
  for (const opt of run.options) pre.addOption(opt);
  pre.action((opts: RawRunOptions) => action(opts));
}

/** Why: the run's bounds: cycles, connect, reboot, start and the client's own deadline. */
function addTimingOptions(run: Command): Command {
  return run
    .option('--max-cycles <n>', 'most install cycles (default 8)')
    .option(
      '--connect-timeout <duration>',
      'ssh/winrm: how long to wait for a server that refuses connections at start, e.g. while it reboots (default 3m)',
    )
    .option('--reboot-timeout <duration>', 'how long a reboot may take, e.g. 10m (default 10m)')
    .option('--start-delay <duration>', 'start the task this much later, e.g. 1m (default: at once)')
    .option('--start-timeout <duration>', 'how long the task may take to start the client (default 2m)')
    .option(
      '--client-timeout <duration>',
      "the client's own deadline for a cycle's work on the target (default 1h check, 4h download, 8h install)",
    );
}

/** Why: `merge-reports`, joining the shards' reports (only where the caller offers it). */
function addMergeCommand(program: Command, actions: ProgramActions): void {
  const merge = actions.mergeReports;
  if (merge) {
    program
      .command('merge-reports')
      .description("join shards' JSON reports into one fleet report with the worst-of result")
      .argument('<reports...>', 'JSON reports written by `run --report`')
      .option('--report <file.json>', 'write the merged report here')
      .addOption(
        new Option('--exit-codes <scheme>', "opcon or posix (default: the reports' scheme)").choices([
          'opcon',
          'posix',
        ]),
      )
      .action((files: string[], opts: RawMergeOptions) => merge(files, opts));
  }
}

/** Why: `lab`, the emulated Windows servers. */
function addLabCommand(program: Command, actions: ProgramActions): void {
  program
    .command('lab')
    .description('start emulated Windows servers (SSH on 127.0.0.1) until SIGINT/SIGTERM')
    .requiredOption('--scenario <file>', 'scenario JSON')
    .requiredOption('--inventory <out.json>', 'where to write the inventory for --inventory')
    .option('--time-scale <x>', 'multiply every emulated duration (overrides the scenario)')
    .option('--spawn', 'run each client as a real child process')
    .option(
      '--workers <n|auto>',
      'spread the hosts over N processes (auto: one per 100 hosts, at most one per CPU)',
      'auto',
    )
    .addOption(new Option('--part <K/N>').hideHelp())
    .action((opts: RawLabOptions) => actions.lab(opts));
}
