import assert from 'node:assert/strict';
import { it } from 'node:test';
import { skipEndOnceEnded } from '../../src/ssh2/channel-destroy.ts';
import ssh2 from '../../src/ssh2/ssh2.ts';

it('destroy ends a channel still writable, and only closes one already ended', () => {
  const calls: string[] = [];
  class Fake {
    writableEnded = false;
    end() {
      calls.push('end');
      this.writableEnded = true;
    }
    close() {
      calls.push('close');
    }
    destroy() {
      this.end();
      this.close();
      return this;
    }
  }
  skipEndOnceEnded(Fake.prototype);
  const c = new Fake();
  assert.equal(c.destroy(), c);
  assert.equal(c.destroy(), c);
  assert.deepEqual(calls, ['end', 'close', 'close']);
});

it('an exec channel of ssh2 as loaded here is never ended twice when it closes', async () => {
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client
      .on('authentication', (ctx) => ctx.accept())
      .on('session', (accept) => {
        accept().once('exec', (acceptExec) => {
          const ch = acceptExec();
          ch.write('out');
          ch.exit(0);
          ch.end();
        });
      })
      .on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const c = new ssh2.Client();
  try {
    const endedAlready: boolean[] = [];
    await new Promise<void>((resolve, reject) => {
      const bound = setTimeout(() => reject(new Error('no exec round in 10 s')), 10_000);
      c.on('ready', () => {
        c.exec('x', (err, ch) => {
          if (err) return reject(err);
          const end = ch.end.bind(ch);
          ch.end = ((...a: Parameters<typeof end>) => {
            endedAlready.push(ch.writableEnded);
            return end(...a);
          }) as typeof ch.end;
          ch.end();
          ch.resume();
          ch.once('close', () => {
            clearTimeout(bound);
            // Node destroys the channel after 'close' is queued; let that run too.
            setImmediate(resolve);
          });
        });
      }).on('error', reject);
      c.connect({ host: '127.0.0.1', port, username: 'u', hostVerifier: () => true });
    });
    assert.deepEqual(endedAlready, [false], 'our end() only: no second end() building an unseen error');
  } finally {
    c.end();
    server.close();
  }
});
