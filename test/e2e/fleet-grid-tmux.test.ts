// The fleet grid on a real terminal: 30 lab servers patched by the connector's bin inside tmux
// (200×60). While the run goes on, the captured pane must show the grid's header and a row for
// every one of the 30 servers on one screen; at the end --log-dir holds one file per server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetScenario } from '../../bench/fleet-lab.ts';
import { type TempLab, tempLab } from '../lab/temp-lab.ts';

const HOSTS = 30;
const ROOT = join(import.meta.dirname, '..', '..');
const SOCKET = `wsus-grid-${process.pid}`;
const SESSION = 'grid';
const BOUND_MS = 120_000;

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr}`);
  return r.stdout;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`the fleet grid of ${HOSTS} servers in tmux`, { timeout: BOUND_MS + 30_000 }, () => {
  let lab: TempLab;
  const scenario = fleetScenario(HOSTS, 0.05, 'grid');
  const names = scenario.hosts.map((h) => h.name);
  before(async () => {
    lab = await tempLab(scenario);
  });
  after(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    await lab?.close();
  });

  it('shows a row for every server on one screen while it runs; --log-dir has a file per server', async () => {
    const logDir = join(lab.dir, 'logs');
    const done = join(lab.dir, 'exit-code');
    const cmd = [
      `WSUS_FROM_SOURCE=1 node ${join(ROOT, 'bin', 'wsus-connector.js')} run --transport ssh`,
      `--inventory ${lab.inventory} --restart --parallel ${HOSTS} --exit-codes posix`,
      `--log-dir ${logDir} --report ${join(lab.dir, 'report.json')}; echo $? > ${done}; sleep 600`,
    ].join(' ');
    tmux('new-session', '-d', '-s', SESSION, '-x', '200', '-y', '60', cmd);
    let seen: string | null = null;
    const until = Date.now() + BOUND_MS;
    while (Date.now() < until && !existsSync(done)) {
      const pane = tmux('capture-pane', '-p', '-t', SESSION);
      // A screen from the middle of the run: some server already past connecting.
      const running =
        /^30 servers: /m.test(pane) &&
        /(searching|downloading|installing|rebooting)/.test(pane) &&
        !pane.includes('Result code:');
      if (running && names.every((n) => new RegExp(`^${n}\\s+1\\s`, 'm').test(pane))) {
        seen = pane;
        break;
      }
      await sleep(150);
    }
    assert.ok(
      seen,
      `no screen showed all ${HOSTS} rows while running; last pane:\n${tmux('capture-pane', '-p', '-t', SESSION)}`,
    );
    assert.ok(seen.trimEnd().split('\n').length <= 60, 'the grid fits the 60-line pane');
    if (process.env.WSUS_SHOW_PANE) process.stdout.write(`${seen}\n`);
    assert.ok(!seen.includes('more'), 'no "+N more" line: every server fits');
    while (Date.now() < until && !existsSync(done)) await sleep(250);
    assert.equal(readFileSync(done, 'utf8').trim(), '0', tmux('capture-pane', '-p', '-t', SESSION));
    const files = readdirSync(logDir).sort();
    assert.deepEqual(files, names.map((n) => `${n}.log`).sort());
    for (const f of files) {
      const text = readFileSync(join(logDir, f), 'utf8');
      assert.match(text, /==== Summary: /, `${f} holds the server's whole job output`);
    }
  });
});
