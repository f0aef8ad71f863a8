// The staging folder gets an explicit ACL before anything is staged: the lab models the read
// access local users inherit under C:\ProgramData, so the job file (it holds the pipe token) is
// readable by them without the connector's icacls and not with it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

describe('the staging folder ACL', () => {
  let e: E2eLab;
  before(async () => {
    e = await e2eLab({
      timeScale: 0.01,
      hosts: [{ name: 'srv01', catalog: ['msrt'] }],
      catalog: [upd('msrt')],
    });
  });
  after(() => e.close());

  it('job.json and lock.json are not readable by local users after the connector ran', async () => {
    const host = e.lab.hosts[0]!;
    const job = 'C:\\ProgramData\\wsus-connector\\runs\\r-c1\\job.json';
    assert.equal(host.usersCanRead(job), true, 'the lab models the inherited read access');
    const run = e.run('srv01');
    const r = await run;
    assert.equal(r.report.resultCode, 100, r.out);
    assert.equal(host.usersCanRead(job), false);
    assert.equal(host.usersCanRead('C:\\ProgramData\\wsus-connector\\lock.json'), false);
    assert.equal(host.usersCanRead('C:\\ProgramData\\other\\x.txt'), true, 'only our folder changes');
  });
});
