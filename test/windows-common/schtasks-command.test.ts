import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenizeCmdLine } from '../../src/lab/ssh/cmd-line.ts';
import {
  createTaskArgv,
  deleteTaskArgv,
  endTaskArgv,
  queryTaskArgv,
  quoteArg,
  redactArgv,
  runTaskArgv,
  toCmdLine,
} from '../../src/windows-common/schtasks-command.ts';

const TN = '\\WsusConnector\\Patch';

test('local command lines match docs/target-commands.md', () => {
  const xml = 'C:\\ProgramData\\wsus-connector\\runs\\r1-c1\\task.xml';
  assert.equal(
    toCmdLine(createTaskArgv(TN, xml, false)),
    `schtasks /Create /TN "\\WsusConnector\\Patch" /XML "${xml}"`,
  );
  assert.equal(toCmdLine(createTaskArgv(TN, xml, true)), `schtasks /Create /TN "${TN}" /XML "${xml}" /F`);
  assert.equal(toCmdLine(runTaskArgv(TN)), `schtasks /Run /TN "${TN}"`);
  assert.equal(toCmdLine(queryTaskArgv(TN)), `schtasks /Query /TN "${TN}" /FO CSV /V /NH`);
  assert.equal(toCmdLine(endTaskArgv(TN)), `schtasks /End /TN "${TN}"`);
  assert.equal(toCmdLine(deleteTaskArgv(TN)), `schtasks /Delete /TN "${TN}" /F`);
});

test('remote forms put /S (and /U) right after the verb and never a password', () => {
  const argv = createTaskArgv(TN, '\\\\srv01\\ADMIN$\\x.xml', false, {
    server: 'srv01',
    user: 'CORP\\patcher',
  });
  assert.deepEqual(argv.slice(0, 6), ['schtasks', '/Create', '/S', 'srv01', '/U', 'CORP\\patcher']);
  assert.ok(!argv.some((a) => /^\/P$/i.test(a)));
  assert.deepEqual(queryTaskArgv(TN, { server: 'srv01' }).slice(1, 4), ['/Query', '/S', 'srv01']);
});

test('task names are bounded', () => {
  assert.throws(() => runTaskArgv(''), /task name/);
  assert.throws(() => runTaskArgv(`\\${'x'.repeat(238)}`), /task name/);
});

/** CommandLineToArgvW's rules, as the lab's hosts apply them, to check that quoting round-trips. */
const commandLineToArgv = tokenizeCmdLine;

test('quoting round-trips through CommandLineToArgvW rules', () => {
  const cases = [
    'plain',
    '',
    'with space',
    'C:\\Program Files\\x\\',
    'a"b',
    'a\\"b',
    'trailing\\\\',
    'tab\there',
    '\\\\srv\\share\\dir with space\\c.exe',
    'a & b',
    '(x)',
  ];
  const line = toCmdLine(cases);
  assert.deepEqual(commandLineToArgv(line), cases);
  assert.equal(quoteArg('a"b'), '"a\\"b"');
  assert.equal(quoteArg('C:\\x y\\'), '"C:\\x y\\\\"');
});

test('what cmd.exe cannot carry safely is refused', () => {
  assert.throws(() => quoteArg('%PATH%'), /%/);
  assert.throws(() => quoteArg('a"b&c'), /not safe/);
  assert.throws(() => quoteArg('a\nb'), /line break/);
});

test('metacharacters end up inside quotes', () => {
  for (const arg of ['a&b', 'a|b', 'a<b', 'a>b', 'a^b']) assert.equal(quoteArg(arg), `"${arg}"`);
});

test('redactArgv hides the value after /P', () => {
  assert.deepEqual(redactArgv(['schtasks', '/Run', '/U', 'u', '/P', 'secret', '/TN', 'x']), [
    'schtasks',
    '/Run',
    '/U',
    'u',
    '/P',
    '***',
    '/TN',
    'x',
  ]);
});
