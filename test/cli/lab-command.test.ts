// The lab command's flags: --workers (checked before anything starts, auto sized by hosts and CPUs)
// and the hidden --part a supervisor gives its workers.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { parseWorkers, runLab, workerCount } from '../../src/cli/lab-command.ts';
import { InputError } from '../../src/model/input-error.ts';
import { capturedIo } from './captured-io.ts';

describe('lab --workers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsus-labflags-'));
    writeFileSync(join(dir, 'sc.json'), JSON.stringify({ hosts: [{ name: 'a' }] }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const bad of ['0', '-1', '1.5', 'many', '']) {
    it(`"${bad}" is an InputError naming the flag, before anything starts`, async () => {
      assert.throws(
        () => parseWorkers(bad),
        (e: unknown) => e instanceof InputError && e.where === '--workers' && e.message.includes(`"${bad}"`),
      );
      const t = capturedIo(dir, { lab: runLab });
      const code = await connectorMain(
        ['lab', '--scenario', 'sc.json', '--inventory', 'inv.json', '--workers', bad],
        t.io,
      );
      assert.equal(code, 2);
      assert.match(t.err(), /--workers: ".*" is not a whole number of at least 1 or "auto"/);
      assert.doesNotMatch(t.out(), /ssh on/);
    });
  }

  it('a bad scenario fails once, naming its JSON path, before any worker or lab folder exists', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ hosts: [{ name: 'a' }, { name: 'b c' }] }));
    const t = capturedIo(dir, { lab: runLab });
    const code = await connectorMain(
      ['lab', '--scenario', 'bad.json', '--inventory', 'inv.json', '--workers', '2'],
      t.io,
    );
    assert.equal(code, 2);
    assert.match(t.err(), /hosts\[1\]\.name/);
    assert.equal(existsSync(join(dir, 'inv.json.lab')), false);
  });

  it('auto keeps a small lab in one process and gives a large one at most a process per CPU but one', () => {
    assert.equal(workerCount('auto', 4, 8), 1);
    assert.equal(workerCount('auto', 100, 8), 1);
    assert.equal(workerCount('auto', 250, 8), 3);
    // One CPU stays the connector's.
    assert.equal(workerCount('auto', 1000, 8), 7);
    assert.equal(workerCount('auto', 1000, 2), 1);
    assert.equal(workerCount('auto', 1000, 1), 1);
    assert.equal(workerCount(8, 3, 2), 3, 'never more workers than hosts');
    assert.equal(parseWorkers(undefined), 'auto');
    assert.equal(parseWorkers('4'), 4);
  });

  it('--part is internal: not in --help, refused outside a supervisor', async () => {
    const help = capturedIo(dir, { lab: runLab });
    await connectorMain(['lab', '--help'], help.io);
    assert.match(help.out(), /--workers <n\|auto>/);
    assert.doesNotMatch(help.out(), /--part/);
    const t = capturedIo(dir, { lab: runLab });
    const code = await connectorMain(
      ['lab', '--scenario', 'sc.json', '--inventory', 'inv.json', '--part', '1/2'],
      t.io,
    );
    assert.equal(code, 2);
    assert.match(t.err(), /--part: is internal to `lab --workers`/);
  });
});
