// examples/hostile.json end to end: servers that combine what real Windows does to a patch night
// (docs/lab.md "The hostile fleet"): a German server with PowerShell as its SSH shell and a
// permanent file rename, a French server 15 minutes behind, a busy installer, a three-cycle chain
// in UTF-8, all with a UNC client path and no network credentials in the SSH session. Each ends
// with its documented result code, and the output shows each condition was met and handled.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type E2eLab, e2eLab } from './lab-fixture.ts';

const scenario = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/hostile.json'), 'utf8'));

/** The codes docs/lab.md documents for the hostile fleet. */
const DOCUMENTED: Record<string, number> = { 'de-ps01': 110, 'fr-late01': 110, busy01: 110, share01: 110 };

/** Why: one server's lines of a multi-server job output. */
function linesOf(out: string, server: string): string {
  return out
    .split('\n')
    .filter((l) => l.startsWith(`${server} | `))
    .join('\n');
}

describe('the hostile fleet (examples/hostile.json)', () => {
  let e: E2eLab;
  before(async () => {
    e = await e2eLab(scenario);
  });
  after(() => e.close());

  it('gives every host its documented code, each condition seen and handled', async () => {
    const servers = Object.keys(DOCUMENTED);
    assert.deepEqual(servers.sort(), scenario.hosts.map((h: { name: string }) => h.name).sort());
    const more = servers.slice(1).flatMap((s) => ['--server', s]);
    const r = await e.run(servers[0]!, [...more, '--restart', '--parallel', String(servers.length)]);
    const reports = r.report as unknown as { server: string; resultCode: number }[];
    assert.ok(Array.isArray(reports), r.out);
    for (const s of servers) {
      const got = reports.find((x) => x.server === s)?.resultCode;
      assert.equal(got, DOCUMENTED[s], `${s}:\n${linesOf(r.out, s)}`);
    }
    // Every client path is a share the SSH session cannot reach: session commands ran a disk copy.
    assert.match(r.out, /client\s+\\\\labshare\\wsus\\wsus-client\.exe/);
    assert.match(
      linesOf(r.out, 'de-ps01'),
      /PendingFileRenameOperations has entries; they do not block installs/,
    );
    assert.match(linesOf(r.out, 'fr-late01'), /clock is 15m behind this controller/);
    assert.match(linesOf(r.out, 'busy01'), /Windows Update is busy with another installation/);
    assert.match(linesOf(r.out, 'share01'), /---- Cycle 3 ----/);
    assert.match(r.out, /Result code: 110\s*$/);
  });
});
