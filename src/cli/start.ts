// `npm start`: the main job on an embedded default. The lab's example fleet starts in this
// process; the connector patches every host in parallel (install + restart) over real SSH (or WinRM),
// prints the job output and the summary table, exits with the worst POSIX code, stops the lab.
// It shows the patch night too: a canary wave of one host first, then the rest, and an HTML
// report kept in a folder of its own (its path is printed at the end).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abortOnSignals } from './abort-on-signals.ts';
import { connectorMain, processIo } from './connector-main.ts';
import { listInventoryHosts } from './inventory-hosts.ts';
import { startLabInProcess } from './lab-handle.ts';

const SCENARIO = join(import.meta.dirname, '..', '..', 'examples', 'fleet.json');

/** `npm start -- --transport winrm` patches the same fleet over WinRM; ssh is the default. */
function startTransport(argv: string[]): 'ssh' | 'winrm' {
  const i = argv.indexOf('--transport');
  if (i < 0) return 'ssh';
  const t = argv[i + 1];
  if (t === 'ssh' || t === 'winrm') return t;
  process.stderr.write(`npm start: --transport must be ssh or winrm, not ${t ?? '(nothing)'}\n`);
  process.exit(2);
}

const transport = startTransport(process.argv.slice(2));
const stop = abortOnSignals();

const dir = await mkdtemp(join(tmpdir(), 'wsus-connector-start-'));
const reportDir = await mkdtemp(join(tmpdir(), 'wsus-connector-report-'));
const htmlReport = join(reportDir, 'night.html');
let code = 70;
try {
  const inventoryPath = join(dir, 'inventory.json');
  process.stdout.write(`Starting the lab from ${SCENARIO}...\n`);
  const lab = await startLabInProcess({ scenarioPath: SCENARIO, inventoryPath, dir: join(dir, 'lab') });
  try {
    const hosts = await listInventoryHosts(inventoryPath, transport);
    process.stdout.write(
      `Lab up: ${hosts.size} host(s). Patching all of them over ${transport} (install, --restart), a canary wave of one first.\nThe HTML report goes to ${htmlReport}\n\n`,
    );
    code = await connectorMain(
      [
        'run',
        '--transport',
        transport,
        '--inventory',
        inventoryPath,
        '--restart',
        '--parallel',
        String(Math.max(1, hosts.size)),
        '--exit-codes',
        'posix',
        '--waves',
        '1,rest',
        '--max-failures',
        '50%',
        '--report-html',
        htmlReport,
      ],
      processIo(stop.signal),
    );
  } finally {
    await lab.stop();
  }
} catch (err) {
  process.stderr.write(`npm start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
  stop.dispose();
}
process.exitCode = code;
