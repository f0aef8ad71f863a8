// The prechecks' readings on Windows: free space in MB from Win32_LogicalDisk, process names
// from Win32_Process, and a clear error when PowerShell gives no usable answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FREE_DISK_ARGV, windowsFreeDiskMB, windowsProcessNames } from '../../src/windows/host-checks.ts';
import { fakeExec } from './fake-exec.ts';

describe('windows host checks', () => {
  it('reads FreeSpace (bytes) of the system drive as whole MB', async () => {
    const f = fakeExec(() => ({ stdout: '2147483648\r\n' }));
    assert.equal(await windowsFreeDiskMB(f.exec), 2048);
    assert.deepEqual(f.calls[0]?.args, FREE_DISK_ARGV);
    assert.match(f.calls[0]?.args.at(-1) ?? '', /Win32_LogicalDisk.*\$env:SystemDrive.*FreeSpace/);
  });
  it('refuses an answer that is not a number', async () => {
    const f = fakeExec(() => ({ stdout: 'Access denied' }));
    await assert.rejects(windowsFreeDiskMB(f.exec), /FreeSpace is not a number/);
  });
  it('lists process names one per line', async () => {
    const f = fakeExec(() => ({ stdout: 'System\r\nsvchost.exe\r\n\r\nsqlservr.exe\r\n' }));
    assert.deepEqual(await windowsProcessNames(f.exec), ['System', 'svchost.exe', 'sqlservr.exe']);
  });
  it('names the failed reading', async () => {
    const f = fakeExec(() => ({ exitCode: 1, stderr: 'boom' }));
    await assert.rejects(
      windowsProcessNames(f.exec),
      /reading the running processes failed \(exit 1\): boom/,
    );
  });
});
