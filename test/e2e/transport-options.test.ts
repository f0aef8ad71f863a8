// The ssh transport without an inventory (--ssh-* flags), and the lab's --spawn mode where each
// client is a real child process, both end to end through the real connector.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { connectorMain } from '../../src/cli/connector-main.ts';
import { type InventoryHostJson, type TempLab, tempLab } from '../lab/temp-lab.ts';
import { upd } from './lab-fixture.ts';

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  const code = await connectorMain(argv, { stdout, stderr: stdout, env: {}, platform: 'linux', cwd });
  return { code, out };
}

for (const spawn of [false, true]) {
  describe(
    spawn ? 'lab --spawn: clients as child processes' : '--ssh-* flags instead of an inventory',
    () => {
      let t: TempLab;
      let dir: string;
      let host: InventoryHostJson;
      before(async () => {
        t = await tempLab(
          { timeScale: 0.001, hosts: [{ name: 'lab01', catalog: ['a'] }], catalog: [upd('a')] },
          { spawn },
        );
        dir = t.dir;
        host = t.hosts[0] as InventoryHostJson;
      });
      after(() => t.close());

      it('installs and reports 100', async () => {
        const known = join(dir, 'known_hosts');
        writeFileSync(known, `${host.knownHosts}\n`);
        const r = await run(
          [
            'run',
            '--transport',
            'ssh',
            '--server',
            '127.0.0.1',
            '--ssh-port',
            String(host.port),
            '--ssh-user',
            host.user,
            '--ssh-identity',
            host.identityFile,
            '--ssh-known-hosts',
            known,
            '--client-path',
            host.clientPath,
            '--client-file',
            host.clientFile,
            '--exit-codes',
            'opcon',
          ],
          dir,
        );
        assert.equal(r.code, 100, r.out);
        assert.match(r.out, /Result code: 100\n$/);
      });
    },
  );
}
