// End-to-end runs: a lab started in this process from a scenario the test writes, and the real
// connector CLI (connectorMain) against it over real SSH (or WinRM: ./transport.ts), with its output and report captured.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type CliIo, connectorMain } from '../../src/cli/connector-main.ts';
import type { Lab } from '../../src/lab/index.ts';
import { tempLab } from '../lab/temp-lab.ts';
import { boundedTargets, E2E_TRANSPORT, type E2eTransport } from './transport.ts';

export interface E2eRun {
  code: number;
  out: string;
  err: string;
  report: Record<string, unknown> & { resultCode: number; error?: { kind: string; message: string } };
}

export interface E2eLab {
  dir: string;
  lab: Lab;
  inventory: string;
  run(server: string, flags?: string[], via?: E2eTransport): Promise<E2eRun>;
  close(): Promise<void>;
}

/** Why: one lab per test file; each run writes its report to a fresh file. */
export async function e2eLab(scenario: unknown, transport: E2eTransport = E2E_TRANSPORT): Promise<E2eLab> {
  const t = await tempLab(scenario);
  const { dir, lab, inventory } = t;
  let n = 0;
  return {
    dir,
    lab,
    inventory,
    async run(server, flags = [], via = transport) {
      n += 1;
      const reportPath = join(dir, `report-${n}.json`);
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
      });
      stderr.on('data', (c: Buffer) => {
        err += c.toString('utf8');
      });
      const code = await connectorMain(
        [
          'run',
          '--transport',
          via,
          '--inventory',
          inventory,
          '--server',
          server,
          '--report',
          reportPath,
          '--exit-codes',
          'opcon',
          ...flags,
        ],
        { stdout, stderr, env: {}, platform: 'linux', cwd: dir },
      );
      let report = { resultCode: Number.NaN } as E2eRun['report'];
      try {
        report = JSON.parse(readFileSync(reportPath, 'utf8'));
      } catch {
        // No report (e.g. a usage error before any run).
      }
      return { code, out, err, report };
    },
    close: () => t.close(),
  };
}

let guid = 0;
/** A catalog entry with realistic defaults. */
export function upd(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  guid += 1;
  return {
    id,
    updateId: `7a0c1b2d-0000-4000-8000-${guid.toString(16).padStart(12, '0')}`,
    kb: `KB${5050000 + guid}`,
    title: `2024-10 Update ${id} (KB${5050000 + guid})`,
    classification: 'Security Updates',
    severity: 'Important',
    sizeMB: 10,
    downloadSeconds: 10,
    installSeconds: 20,
    ...over,
  };
}

/** Why: how many times the lab installed each update on a host (its state file), by update id. */
export function installCounts(labDir: string, server: string): Record<string, number> {
  const state = JSON.parse(
    readFileSync(join(labDir, 'lab', 'hosts', server, 'state', 'host.json'), 'utf8'),
  ) as { attempts: Record<string, { install: number }> };
  return Object.fromEntries(Object.entries(state.attempts).map(([k, a]) => [k, a.install]));
}

/** Why: the real adapter of the tests' transport (E2E_TRANSPORT) with bounds a fault test can wait for. */
export async function boundedLabTargets(inventoryPath: string): Promise<CliIo['createTargets']> {
  const targets = await boundedTargets(inventoryPath);
  return async () => targets;
}
