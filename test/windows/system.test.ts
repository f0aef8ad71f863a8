import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideRebootPending } from '../../src/model/reboot-pending.ts';
import { parseRegQuery } from '../../src/windows/registry-query.ts';
import {
  BOOT_READ_ATTEMPTS,
  createWindowsSystem,
  LAST_BOOT_ARGV,
  LAST_BOOT_WMIC_ARGV,
  REBOOT_KEYS,
  rebootArgv,
  UPDATE_SERVICE_ARGV,
} from '../../src/windows/system.ts';
import { fakeExec } from './fake-exec.ts';

// reg.exe's answer layout: key line, then `    Name    REG_TYPE    Data`.
const reg = (key: string, name: string, type: string, data: string) =>
  `\r\n${key}\r\n    ${name}    ${type}    ${data}\r\n\r\n`;
const NOT_FOUND = {
  exitCode: 1,
  stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n',
};

function registry(values: Record<string, string>) {
  return fakeExec((file, args) => {
    assert.equal(file, 'reg.exe');
    assert.equal(args[0], 'query');
    const key = `${args[1]}${args[3] ? `|${args[3]}` : ''}`;
    const out = values[key];
    return out === undefined ? NOT_FOUND : { stdout: out };
  });
}

const SM = `${REBOOT_KEYS.sessionManager}|PendingFileRenameOperations`;
const ACTIVE = `${REBOOT_KEYS.activeComputerName}|ComputerName`;
const PENDING = `${REBOOT_KEYS.computerName}|ComputerName`;
const names = (a: string, b: string) => ({
  [ACTIVE]: reg(REBOOT_KEYS.activeComputerName, 'ComputerName', 'REG_SZ', a),
  [PENDING]: reg(REBOOT_KEYS.computerName, 'ComputerName', 'REG_SZ', b),
});

test('no trigger: no pending reboot, and every pending-reboot key was asked', async () => {
  const { exec, calls } = registry(names('SRV01', 'SRV01'));
  assert.equal(
    decideRebootPending(await createWindowsSystem({ exec }).rebootSignals(), false).pending,
    false,
  );
  const asked = calls.map((c) => c.args[1]);
  for (const key of Object.values(REBOOT_KEYS).filter((k) => k !== REBOOT_KEYS.cbsInterface)) {
    assert.ok(asked.includes(key), `not asked: ${key}`);
  }
});

test('each blocking trigger alone makes a reboot pending', async () => {
  const cases: Record<string, string>[] = [
    { [REBOOT_KEYS.cbsRebootPending]: `\r\n${REBOOT_KEYS.cbsRebootPending}\r\n` },
    { [REBOOT_KEYS.wuRebootRequired]: `\r\n${REBOOT_KEYS.wuRebootRequired}\r\n` },
    names('SRV01', 'SRV01-NEW'),
  ];
  for (const values of cases) {
    const { exec } = registry({ ...names('A', 'A'), ...values });
    assert.equal(
      decideRebootPending(await createWindowsSystem({ exec }).rebootSignals(), false).pending,
      true,
      JSON.stringify(Object.keys(values)),
    );
  }
});

test('PendingFileRenameOperations is read as a signal that warns but does not block', async () => {
  const empty = registry({
    ...names('A', 'A'),
    [SM]: reg(REBOOT_KEYS.sessionManager, 'PendingFileRenameOperations', 'REG_MULTI_SZ', ''),
  });
  assert.equal((await createWindowsSystem({ exec: empty.exec }).rebootSignals()).fileRenamesPending, false);
  const some = registry({
    ...names('A', 'A'),
    [SM]: reg(
      REBOOT_KEYS.sessionManager,
      'PendingFileRenameOperations',
      'REG_MULTI_SZ',
      '\\??\\C:\\x.tmp\\0\\0',
    ),
  });
  const signals = await createWindowsSystem({ exec: some.exec }).rebootSignals();
  assert.equal(signals.fileRenamesPending, true);
  const verdict = decideRebootPending(signals, false);
  assert.equal(verdict.pending, false);
  assert.match(verdict.warnings.join(), /PendingFileRenameOperations/);
});

test('a reg failure other than "not found" is an error, not "no reboot"', async () => {
  const { exec } = fakeExec(() => ({ exitCode: 5, stderr: 'ERROR: Access is denied.' }));
  await assert.rejects(createWindowsSystem({ exec }).rebootSignals(), /exit 5.*Access is denied/);
});

test('ServicingInProgress: 2 means still servicing; absent, 0 and 1 do not', async () => {
  const key = `${REBOOT_KEYS.cbsInterface}|ServicingInProgress`;
  for (const [data, expected] of [
    ['0x2', true],
    ['0x1', false],
    ['0x0', false],
    [undefined, false],
  ] as const) {
    const { exec } = registry(
      data ? { [key]: reg(REBOOT_KEYS.cbsInterface, 'ServicingInProgress', 'REG_DWORD', data) } : {},
    );
    assert.equal(await createWindowsSystem({ exec }).servicingInProgress(), expected, String(data));
  }
});

const NOT_WINE = { retryDelayMs: 0, isWine: async () => false };

test('boot time is LastBootUpTime read exactly, to the microsecond', async () => {
  const { exec, calls } = fakeExec(() => ({ exitCode: 0, stdout: '20261124100000.412345+060\r\n' }));
  const sys = createWindowsSystem({ exec, ...NOT_WINE });
  assert.equal(await sys.bootTime(), '2026-11-24T10:00:00.412345+01:00');
  assert.equal(calls[0]?.file, 'powershell.exe');
  assert.deepEqual(calls[0]?.args, LAST_BOOT_ARGV);
});

test('a failed PowerShell read of LastBootUpTime is retried; WMIC is not used off Wine', async () => {
  let n = 0;
  const flaky = fakeExec((file) => {
    assert.equal(file, 'powershell.exe');
    return ++n < BOOT_READ_ATTEMPTS
      ? { exitCode: 1, stderr: 'RPC server unavailable' }
      : { stdout: '20261124100000.412345+060' };
  });
  assert.equal(
    await createWindowsSystem({ exec: flaky.exec, ...NOT_WINE }).bootTime(),
    '2026-11-24T10:00:00.412345+01:00',
  );
  assert.equal(flaky.calls.length, BOOT_READ_ATTEMPTS);
  const never = fakeExec(() => ({ exitCode: 0, stdout: 'nope' }));
  await assert.rejects(
    createWindowsSystem({ exec: never.exec, ...NOT_WINE }).bootTime(),
    /not a CIM DATETIME.*PowerShell said "nope"; "nope"; "nope"$/,
  );
  assert.deepEqual(
    never.calls.map((c) => c.file),
    Array(BOOT_READ_ATTEMPTS).fill('powershell.exe'),
  );
});

test('under Wine (a stub powershell.exe) boot time falls back to WMIC', async () => {
  // Wine's wmic prints a UTF-16 table; read as bytes it carries NULs and a byte-order mark.
  const wide = (s: string) => Buffer.from(`\ufeff${s}`, 'utf16le').toString('latin1');
  const { exec, calls } = fakeExec((file, args) => {
    if (file === 'wmic.exe')
      return { exitCode: 0, stdout: wide('LastBootUpTime  \r\n20261130010421.515000+000  \r\n') };
    if (file === 'reg.exe') return args[1] === 'HKLM\\Software\\Wine' ? { exitCode: 0 } : NOT_FOUND;
    return { exitCode: 0, stdout: '' };
  });
  const saved = { prefix: process.env.WINEPREFIX, loader: process.env.WINELOADER };
  delete process.env.WINEPREFIX;
  delete process.env.WINELOADER;
  try {
    const sys = createWindowsSystem({ exec, retryDelayMs: 0 });
    assert.equal(await sys.bootTime(), '2026-11-30T01:04:21.515000+00:00');
  } finally {
    if (saved.prefix !== undefined) process.env.WINEPREFIX = saved.prefix;
    if (saved.loader !== undefined) process.env.WINELOADER = saved.loader;
  }
  assert.deepEqual(
    calls.map((c) => c.file),
    [...Array(BOOT_READ_ATTEMPTS).fill('powershell.exe'), 'reg.exe', 'wmic.exe'],
  );
  assert.deepEqual(calls.at(-1)?.args, LAST_BOOT_WMIC_ARGV);
});

test('reboot runs shutdown /r /f /t 0 /d p:2:18 with the comment', async () => {
  const { exec, calls } = fakeExec(() => ({ exitCode: 0 }));
  await createWindowsSystem({ exec }).reboot('wsus-connector run r1: 3 updates need a restart');
  assert.deepEqual(calls, [
    {
      file: 'shutdown.exe',
      args: ['/r', '/f', '/t', '0', '/d', 'p:2:18', '/c', 'wsus-connector run r1: 3 updates need a restart'],
    },
  ]);
  assert.equal(rebootArgv('x'.repeat(600)).at(-1)?.length, 512);
  assert.equal(rebootArgv('a "quoted"\r\nline').at(-1), 'a quoted line');
});

test('1190 (already scheduled): abort it and reboot once more; 1115 (in progress) is fine', async () => {
  let n = 0;
  const scheduled = fakeExec((_f, args) =>
    args[0] === '/r' && n++ === 0 ? { exitCode: 1190 } : { exitCode: 0 },
  );
  await createWindowsSystem({ exec: scheduled.exec }).reboot('x');
  assert.deepEqual(
    scheduled.calls.map((c) => c.args[0]),
    ['/r', '/a', '/r'],
  );
  const inProgress = fakeExec(() => ({ exitCode: 1115 }));
  await createWindowsSystem({ exec: inProgress.exec }).reboot('x');
  const always = fakeExec((_f, args) =>
    args[0] === '/r' ? { exitCode: 1190, stderr: 'A system shutdown has already been scheduled.(1190)' } : {},
  );
  await assert.rejects(createWindowsSystem({ exec: always.exec }).reboot('x'), /exit 1190/);
});

test('parseRegQuery reads names with spaces and empty data', () => {
  const values = parseRegQuery(
    '\r\nHKEY_LOCAL_MACHINE\\X\r\n    (Default)    REG_SZ    a  b\r\n    Empty    REG_MULTI_SZ\r\n',
  );
  assert.deepEqual(values, [
    { name: '(Default)', type: 'REG_SZ', data: 'a  b' },
    { name: 'Empty', type: 'REG_MULTI_SZ', data: '' },
  ]);
});

test('the Windows Update service state: start type and status from Get-Service', async () => {
  for (const [stdout, expected] of [
    ['Disabled Stopped\r\n', { startType: 'disabled', running: false }],
    ['Manual Running', { startType: 'manual', running: true }],
    ['Automatic Running', { startType: 'automatic', running: true }],
    ['Boot Stopped', { startType: 'unknown', running: false }],
  ] as const) {
    const { exec, calls } = fakeExec(() => ({ stdout }));
    assert.deepEqual(await createWindowsSystem({ exec }).updateService?.(), expected, stdout);
    assert.deepEqual(calls[0]?.args, UPDATE_SERVICE_ARGV);
  }
  const failing = fakeExec(() => ({ exitCode: 1, stderr: 'Cannot find any service with service name' }));
  await assert.rejects(
    createWindowsSystem({ exec: failing.exec }).updateService?.() ?? Promise.resolve(),
    /wuauserv.*Cannot find/,
  );
});
