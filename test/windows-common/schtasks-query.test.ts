import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TargetError } from '../../src/connector/ports.ts';
import { classifySchtasksError, parseSchtasksQuery } from '../../src/windows-common/schtasks-query.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'windows', 'schtasks');
const capture = readFileSync(join(dir, 'query-v-resticprofile.csv'), 'utf8');
const [header, ...dataRows] = capture.trimEnd().split('\n');
const jaHeader = readFileSync(join(dir, 'header-ja-yuukiogt.csv'), 'utf8').trimEnd();

const expected = {
  name: '\\resticprofile backup\\self backup',
  status: 'Ready',
  lastResult: -2147024894,
  lastRunTime: '13/02/2025 17:15:00',
  nextRunTime: '13/02/2025 17:30:00',
};

test('the real capture parses by position, header row included', () => {
  const rows = parseSchtasksQuery(capture);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0], expected);
  // -2147024894 is 0x80070002 as a signed 32-bit number.
  assert.equal((rows[0]?.lastResult ?? 0) >>> 0, 0x80070002);
});

test('/NH output (no header) and CRLF line ends parse the same', () => {
  const nh = `${dataRows.join('\r\n')}\r\n`;
  assert.deepEqual(parseSchtasksQuery(nh), parseSchtasksQuery(capture));
});

test('localized and repeated headers are skipped', () => {
  const text = [jaHeader, dataRows[0], jaHeader, dataRows[1], header, dataRows[0]].join('\r\n');
  const rows = parseSchtasksQuery(`\ufeff${text}`);
  assert.equal(rows.length, 3);
  for (const r of rows) assert.equal(r.name, expected.name);
});

test('N/A becomes null, a never-run task keeps its code', () => {
  const row = dataRows[0]!
    .replace('"13/02/2025 17:30:00"', '"N/A"')
    .replace('"13/02/2025 17:15:00"', '"N/A"')
    .replace('"-2147024894"', '"267011"');
  const [info] = parseSchtasksQuery(row);
  assert.equal(info?.nextRunTime, null);
  assert.equal(info?.lastRunTime, null);
  assert.equal(info?.lastResult, 267011);
});

test('INFO text instead of CSV means no rows; truncated rows are errors naming the record', () => {
  assert.deepEqual(
    parseSchtasksQuery('INFO: There are no scheduled tasks presently available at your access level.\r\n'),
    [],
  );
  assert.throws(() => parseSchtasksQuery('"a","b","c"\n'), /record 1: expected 28 columns/);
  const bad = dataRows[0]!.replace('"-2147024894"', '"abc"');
  assert.throws(() => parseSchtasksQuery(bad), /Last Result "abc"/);
});

test('error messages map to TargetError kinds (fixture lines with origins)', () => {
  const lines = readFileSync(join(dir, 'errors-en-us.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.includes(' => ') && !l.startsWith('#'));
  assert.ok(lines.length >= 10);
  for (const line of lines) {
    const [message, kind] = line.split(' => ') as [string, string];
    const err = classifySchtasksError('', `${message}\r\n`, 1);
    assert.ok(err instanceof TargetError);
    assert.equal(err.kind, kind, message);
    assert.equal(err.exitCode, 1);
    assert.ok(err.message.includes(message.trim()), err.message);
  }
});

test('a message on stdout is found too, and silence is still a failure', () => {
  assert.equal(classifySchtasksError('ERROR: Access is denied.\r\n', '', 1).kind, 'access-denied');
  const none = classifySchtasksError('', '', 5);
  assert.equal(none.kind, 'command-failed');
  assert.match(none.message, /exit 5/);
});
