import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadScenario, parseScenario } from '../../src/lab/scenario.ts';
import { InputError } from '../../src/model/input-error.ts';

const entry = (id: string, n: number, over: Record<string, unknown> = {}) => ({
  id,
  updateId: `7a0c1b2d-0000-4000-8000-${String(n).padStart(12, '0')}`,
  kb: `KB50000${n}0`,
  title: `Update ${id}`,
  classification: 'Security Updates',
  sizeMB: 1,
  downloadSeconds: 1,
  installSeconds: 1,
  ...over,
});

function problems(doc: unknown): string {
  try {
    parseScenario(JSON.stringify(doc), 'sc.json');
  } catch (err) {
    assert.ok(err instanceof InputError);
    return err.message;
  }
  assert.fail('the scenario was accepted');
}

describe('lab scenario files', () => {
  it('fills the documented defaults', () => {
    const sc = parseScenario(
      JSON.stringify({ hosts: [{ name: 'srv01', catalog: ['a'] }], catalog: [entry('a', 1)] }),
    );
    assert.equal(sc.timeScale, 1);
    const h = sc.hosts[0];
    assert.equal(h?.timeZone, 'UTC');
    assert.equal(h?.rebootSeconds, 60);
    assert.equal(h?.servicingSeconds, 0);
    assert.equal(h?.pendingReboot, false);
    assert.equal(h?.sshNetworkCredentials, false);
    assert.equal(h?.locale, 'en-US');
    assert.equal(h?.consoleCodePage, undefined);
    assert.equal(h?.sshShell, 'cmd');
    const c = sc.catalog[0];
    assert.equal(c?.reboot, 'never');
    assert.equal(c?.revision, 1);
    assert.deepEqual(c?.failures, []);
  });

  it('names the JSON path of an unknown field and of each bad value, all at once', () => {
    const msg = problems({
      timeScale: 0,
      hosts: [{ name: 'srv01', timeZone: 'Mars/Olympus', colour: 'red', catalog: ['a', 'zz'] }],
      catalog: [
        entry('a', 1, {
          reboot: 'sometimes',
          failures: [{ phase: 'install', attempt: 1, hresult: '800F0922' }],
        }),
      ],
    });
    assert.match(msg, /^sc\.json: invalid scenario/);
    assert.match(msg, /timeScale/);
    assert.match(msg, /hosts\[0\]\.timeZone: an IANA time zone/);
    assert.match(msg, /hosts\[0\].*colour/);
    assert.match(msg, /catalog\[0\]\.reboot/);
    assert.match(msg, /catalog\[0\]\.failures\[0\]\.hresult: an HRESULT written as 0x/);
    assert.match(msg, /hosts\[0\]\.catalog\[1\]: no catalog entry has id "zz"/);
  });

  it('names the path of a bad SSH-session field', () => {
    const msg = problems({
      hosts: [
        {
          name: 'srv01',
          locale: 'xx-XX',
          consoleCodePage: 1251,
          sshShell: 'bash',
          sshNetworkCredentials: 'no',
        },
      ],
    });
    for (const f of ['locale', 'consoleCodePage', 'sshShell', 'sshNetworkCredentials']) {
      assert.match(msg, new RegExp(`hosts\\[0\\]\\.${f}`));
    }
  });

  it('refuses duplicate ids, GUIDs and host names', () => {
    const msg = problems({
      hosts: [{ name: 'a' }, { name: 'A' }],
      catalog: [entry('x', 1), entry('y', 2), entry('x', 1)],
    });
    assert.match(msg, /catalog\[2\]\.id: "x" is already used by catalog\[0\]/);
    assert.match(msg, /catalog\[2\]\.updateId: .* is already used by catalog\[0\]/);
    assert.match(msg, /hosts\[1\]\.name: "A" is already used by hosts\[0\]/);
  });

  it('refuses unknown prerequisites and requires cycles', () => {
    const msg = problems({
      hosts: [{ name: 'a' }],
      catalog: [entry('x', 1, { requires: ['y'] }), entry('y', 2, { requires: ['x', 'nope'] })],
    });
    assert.match(msg, /catalog\[1\]\.requires\[1\]: no catalog entry has id "nope"/);
    assert.match(msg, /"requires" forms a cycle: x -> y -> x/);
  });

  it('refuses text that is not JSON, naming the file', () => {
    assert.throws(() => parseScenario('{ hosts: ', 'broken.json'), /broken\.json: not valid JSON/);
  });

  it('accepts every shipped example', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'examples');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 5);
    for (const f of files) await loadScenario(join(dir, f));
  });
});
