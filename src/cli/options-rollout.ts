// The rollout's flags of `wsus-connector run` (docs/usage.md "The patch night"): waves and
// failure gates, the maintenance window, hooks, the JUnit/HTML reports and the webhook. Kept in
// one file so the run command's other flags and these evolve without stepping on each other.
import type { Command } from 'commander';

export interface RawRolloutOptions {
  waves?: string;
  maxFailures?: string;
  deadline?: string;
  maxRuntime?: string;
  hook: string[];
  hookTimeout?: string;
  reportJunit?: string;
  reportHtml?: string;
  notifyWebhook?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Why: adds the rollout's flags to the run command in one place (help order = docs order). */
export function addRolloutOptions(cmd: Command): Command {
  return cmd
    .option('--waves <spec>', 'run the servers in waves, e.g. 1,10%,rest (each after the previous one)')
    .option('--max-failures <n|p%>', 'start no new server once this many (or this share) failed')
    .option('--deadline <time>', 'maintenance window end: HH:MM (local) or an ISO 8601 instant')
    .option('--max-runtime <duration>', 'maintenance window as a length from now, e.g. 3h')
    .option(
      '--hook <phase=command>',
      'controller command at before-server, before-reboot, after-reboot or after-server (repeatable)',
      collect,
      [],
    )
    .option('--hook-timeout <duration>', 'how long a hook may run (default 10m)')
    .option('--report-junit <file.xml>', 'write a JUnit XML report (one testcase per server)')
    .option('--report-html <file.html>', 'write a self-contained HTML report')
    .option('--notify-webhook <url>', 'POST the fleet summary as JSON here when the run ends');
}
