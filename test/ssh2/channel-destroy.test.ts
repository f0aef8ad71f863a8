import assert from 'node:assert/strict';
import { it } from 'node:test';
import { skipEndOnceEnded } from '../../src/ssh2/channel-destroy.ts';
import ssh2 from '../../src/ssh2/ssh2.ts';
import { loopbackServer, readyClient } from './fixtures/loopback.ts';

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
  const server = await loopbackServer(ssh2, (client) => {
    client.on('session', (accept) => {
      accept().once('exec', (acceptExec) => {
        const ch = acceptExec();
        ch.write('out');
        ch.exit(0);
        ch.end();
      });
    });
  });
  const c = await readyClient(ssh2, server.port);
  try {
    const endedAlready: boolean[] = [];
    await new Promise<void>((resolve, reject) => {
      const bound = setTimeout(() => reject(new Error('no exec round in 10 s')), 10_000);
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
    });
    assert.deepEqual(endedAlready, [false], 'our end() only: no second end() building an unseen error');
  } finally {
    c.end();
    server.close();
  }
});
