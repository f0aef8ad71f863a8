// Resume repairs what it finds: a client that died mid-cycle has its cycle cleaned up and run
// again, and a half-written job.json is rewritten instead of parsed blindly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cyclePaths, LOCK_PATH } from '../../src/connector/paths.ts';
import type { CatalogItem } from './fake-host.ts';
import { makeHost, options, runOn } from './harness.ts';

const MSRT: CatalogItem = { id: 'aaaaaaaa-0000-0000-0000-000000000003', kb: 'KB890830', reboot: 'never' };
const DEF: CatalogItem = { id: 'aaaaaaaa-0000-0000-0000-000000000005', kb: 'KB2267603', reboot: 'never' };

describe('resume repairs a half-done cycle', () => {
  it('a client killed mid-cycle: the rerun cleans the dead cycle up and runs it again', async () => {
    const { host } = makeHost({ catalog: [MSRT, DEF] });
    const ctl = new AbortController();
    await runOn(host, options(), {
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'client' && e.event.kind === 'install.start') {
          host.killClient();
          ctl.abort(new Error('kill'));
        }
      },
    });
    assert.ok(host.files.has(LOCK_PATH), 'the killed run left its lock');
    const first = await runOn(host, options());
    assert.equal(first.result.resultCode, 100, first.output);
    assert.match(first.output, /client of cycle 1 died/);
    const again = await runOn(host, options());
    assert.equal(again.result.resultCode, 0, 'everything was installed');
  });

  it('a half-written job.json is staged again, not an internal error', async () => {
    const { host } = makeHost({ catalog: [MSRT] });
    const ctl = new AbortController();
    await runOn(host, options(), {
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'cycle.start') ctl.abort(new Error('kill'));
      },
    });
    // The connector died while writing the job: half of it is on disk, no task, no client log.
    const job = cyclePaths('run1', 1).job;
    host.files.set(job, Buffer.from('{\n  "runId": "run1",\n  "cyc'));
    for (const name of [...host.tasks.keys()]) host.tasks.delete(name);
    host.files.delete(cyclePaths('run1', 1).log);
    const resumed = await runOn(host, options(), { runId: 'run-new' });
    assert.equal(resumed.result.resultCode, 100, resumed.output);
    assert.match(resumed.output, /job file of cycle 1 is damaged/);
    assert.equal((await runOn(host, options())).result.resultCode, 0, 'installed');
  });
});
