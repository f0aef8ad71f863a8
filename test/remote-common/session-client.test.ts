import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TargetError } from '../../src/connector/ports.ts';
import {
  clientCopy,
  SESSION_CLIENT_PATH,
  stageSessionClient,
} from '../../src/remote-common/session-client.ts';

/** A target's files in memory, counting writes. */
function memoryTarget() {
  const files = new Map<string, Buffer>();
  let writes = 0;
  return {
    files,
    writes: () => writes,
    async readFile(path: string) {
      return files.get(path) ?? null;
    },
    async writeFile(path: string, data: Buffer | string) {
      writes++;
      files.set(path, Buffer.from(data));
    },
  };
}

describe('the session copy of the client', () => {
  it('a fleet shares one read of the client file; a replaced file is read again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsus-session-client-'));
    try {
      const file = join(dir, 'wsus-client.exe');
      await writeFile(file, 'build 1');
      const first = await clientCopy(file);
      const again = await clientCopy(file);
      assert.equal(again.bytes, first.bytes, 'the same buffer, not a second read');
      const targets = [memoryTarget(), memoryTarget(), memoryTarget()];
      for (const [i, t] of targets.entries()) {
        assert.equal(await stageSessionClient(t, `srv0${i}`, '\\\\share\\c.exe', file), SESSION_CLIENT_PATH);
        assert.equal(t.files.get(SESSION_CLIENT_PATH)?.toString(), 'build 1');
      }
      // Staged again on a server that has it: nothing is written.
      const t0 = targets[0]!;
      const before = t0.writes();
      await stageSessionClient(t0, 'srv00', '\\\\share\\c.exe', file);
      assert.equal(t0.writes(), before);
      // A new build on the controller: read again and staged again.
      await writeFile(file, 'build 2, longer');
      await utimes(file, new Date(), new Date(Date.now() + 5_000));
      const next = await clientCopy(file);
      assert.notEqual(next.version, first.version);
      await stageSessionClient(t0, 'srv00', '\\\\share\\c.exe', file);
      assert.equal(t0.files.get(SESSION_CLIENT_PATH)?.toString(), 'build 2, longer');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing client file names the server and the file', async () => {
    await assert.rejects(
      stageSessionClient(memoryTarget(), 'srv09', '\\\\share\\c.exe', '/nonexistent/wsus-client.exe'),
      (err: unknown) => {
        assert.ok(err instanceof TargetError);
        assert.match(err.message, /srv09: cannot read the client copy \/nonexistent\/wsus-client\.exe/);
        return true;
      },
    );
  });
});
