import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labClientPlatform } from '../../src/cli/client-platform-lab.ts';
import { ActivityLog } from '../../src/client/activity-log.ts';
import { lazyAgent } from '../../src/client/lazy-ports.ts';
import { createProcessEnv, mapPipePath, mapTargetPath } from '../../src/client/process-env.ts';

describe('process host mapping', () => {
  it('keeps target paths on Windows, maps C:\\ under WSUS_TARGET_ROOT on POSIX', () => {
    assert.equal(mapTargetPath('C:\\ProgramData\\x\\job.json', 'win32', {}), 'C:\\ProgramData\\x\\job.json');
    assert.equal(
      mapTargetPath('C:\\ProgramData\\wsus-connector\\runs\\r-c1\\job.json', 'linux', {
        WSUS_TARGET_ROOT: '/lab/h1',
      }),
      '/lab/h1/ProgramData/wsus-connector/runs/r-c1/job.json',
    );
    assert.equal(mapTargetPath('c:/Windows/Temp', 'linux', { WSUS_TARGET_ROOT: '/r' }), '/r/Windows/Temp');
    assert.equal(mapTargetPath('/tmp/job.json', 'linux', {}), '/tmp/job.json');
  });

  it('refuses what cannot be mapped, clearly', () => {
    assert.throws(() => mapTargetPath('C:\\x', 'linux', {}), /needs WSUS_TARGET_ROOT/);
    assert.throws(() => mapTargetPath('D:\\x', 'linux', { WSUS_TARGET_ROOT: '/r' }), /only drive C:/);
    assert.throws(() => mapTargetPath('C:\\x\\..\\..\\etc', 'linux', { WSUS_TARGET_ROOT: '/r' }), /"\.\."/);
    assert.throws(() => mapTargetPath('\\\\share\\x', 'linux', { WSUS_TARGET_ROOT: '/r' }), /UNC/);
  });

  it('names pipes per platform', () => {
    assert.equal(mapPipePath('wsus-1', 'win32', {}), '\\\\.\\pipe\\wsus-1');
    assert.equal(mapPipePath('wsus-1', 'linux', {}), '/tmp/wsus-connector-pipes/wsus-1');
    assert.equal(mapPipePath('wsus-1', 'darwin', { WSUS_PIPE_DIR: '/run/p' }), '/run/p/wsus-1');
  });

  it('refuses the wua agent off Windows', () => {
    const host = createProcessEnv({
      os: 'linux',
      env: {},
      signal: new AbortController().signal,
      platform: labClientPlatform,
    });
    assert.throws(() => host.agent({ kind: 'wua' }), /the wua agent needs Windows/);
    assert.throws(() => host.agent({ kind: 'lab' }), /lab agent needs a host folder/);
  });

  it('lazy ports load once, on first use, and report load errors there', async () => {
    let loads = 0;
    const agent = lazyAgent(async () => {
      loads++;
      return {
        search: async () => ({ resultCode: 'succeeded', updates: [], warnings: [] }),
        acceptEula: async () => {},
        download: async () => ({ resultCode: 'succeeded', hresult: 0, updates: [], rebootRequired: false }),
        install: async () => ({ resultCode: 'succeeded', hresult: 0, updates: [], rebootRequired: false }),
        rebootRequired: async () => true,
        installerBusy: async () => false,
        close: async () => {},
      };
    });
    await agent.close();
    assert.equal(loads, 0);
    assert.equal(await agent.rebootRequired(), true);
    await agent.search('default');
    assert.equal(loads, 1);
    const broken = lazyAgent(async () => {
      throw new Error('module missing');
    });
    await assert.rejects(broken.search('default'), /module missing/);
    await broken.close();
    new ActivityLog({ filePath: null }).close();
  });
});
