import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { InventoryHost } from '../../src/ssh/inventory.ts';
import { endpointOf } from '../../src/ssh/ssh-endpoint.ts';

const host = (name: string, address: string): InventoryHost => ({
  name,
  address,
  port: 22,
  user: 'admin',
  identityFile: '/keys/id',
  knownHosts: `${address} ssh-ed25519 AAAA`,
});

it('finds inventory hosts by name whatever the case, the first entry of a name winning', () => {
  const hosts = Array.from({ length: 1000 }, (_, i) => host(`web${i}`, `10.0.${i >> 8}.${i & 255}`));
  hosts.push(host('WEB7', '192.0.2.7'));
  const inventory = { path: '/etc/inv.json', hosts };
  assert.equal(endpointOf({ inventory, server: 'web999' }).host, '10.0.3.231');
  assert.equal(endpointOf({ inventory, server: 'Web7' }).host, '10.0.0.7', 'the first web7 wins');
  assert.equal(endpointOf({ inventory, server: 'Web7' }).server, 'Web7', 'the name as given');
  assert.throws(
    () => endpointOf({ inventory, server: 'db1' }),
    /db1 is not in the inventory \/etc\/inv\.json/,
  );
  // A list replaced after a lookup (as the ssh target factory does) is read afresh.
  inventory.hosts = inventory.hosts.map((h) => ({ ...h, clientFile: '/share/wsus-client.exe' }));
  assert.deepEqual(endpointOf({ inventory, server: 'web3' }).clientFile, '/share/wsus-client.exe');
  // Another inventory object is looked up in its own hosts.
  const other = { path: '/etc/other.json', hosts: [host('db1', '192.0.2.1')] };
  assert.equal(endpointOf({ inventory: other, server: 'DB1' }).host, '192.0.2.1');
});
