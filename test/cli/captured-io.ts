// The connector CLI's io bundle with its output captured, for tests that call connectorMain.
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/connector-main.ts';

/** Why: one place that wires stdout/stderr into strings the test reads after the run. */
export function capturedIo(cwd: string, extra: Partial<CliIo> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => {
    out += c;
  });
  stderr.on('data', (c) => {
    err += c;
  });
  const io: CliIo = { stdout, stderr, env: {}, platform: 'linux', cwd, ...extra };
  return { io, out: () => out, err: () => err };
}
