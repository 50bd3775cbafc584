// The permission rules of tsshd's TCP forwarding (port-forwarding.ts), as OpenSSH's sshd applies them: PermitOpen
// and permitopen= / permitlisten= entries, and where GatewayPorts lets a remote forward listen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthorizedKeyOptions } from '@tssh/ssh-protocol/keys';
import { bindAddress, keyPermission, permits } from '@tssh/sshd/dist/port-forwarding.js';

test('permits: host compared without case, `*` for any host or any port, nothing matched by an empty list', () => {
  const list = [
    { host: 'db.example', port: 5432 },
    { host: '*', port: 443 },
    { host: '127.0.0.1', port: '*' as const },
  ];
  assert.equal(permits(list, 'DB.example', 5432), true);
  assert.equal(permits(list, 'db.example', 5433), false);
  assert.equal(permits(list, 'anything', 443), true);
  assert.equal(permits(list, '127.0.0.1', 1), true);
  assert.equal(permits(list, '127.0.0.2', 1), false);
  assert.equal(permits([], 'db.example', 5432), false);
});

test('keyPermission reads permitopen= and permitlisten= values as the key parser leaves them', () => {
  assert.deepEqual(keyPermission('db.example:5432'), { host: 'db.example', port: 5432 });
  assert.deepEqual(keyPermission('[::1]:22'), { host: '::1', port: 22 });
  assert.deepEqual(keyPermission('*:*'), { host: '*', port: '*' });
  assert.deepEqual(keyPermission('localhost:8080'), { host: 'localhost', port: 8080 });
});

test('a bare permitlisten port means any address: the key parser gives it the `*` host', () => {
  const options = parseAuthorizedKeyOptions('permitlisten="8080"');
  assert.deepEqual(options.permitListen.map(keyPermission), [{ host: '*', port: 8080 }]);
});

test('bindAddress: GatewayPorts no keeps remote forwards on loopback, yes opens them to all, clientspecified asks the client', () => {
  for (const requested of ['', '*', '0.0.0.0', 'localhost', '192.0.2.1']) assert.equal(bindAddress(requested, 'no'), 'localhost');
  for (const requested of ['', '*', 'localhost', '192.0.2.1']) assert.equal(bindAddress(requested, 'yes'), undefined);
  assert.equal(bindAddress('', 'clientspecified'), undefined);
  assert.equal(bindAddress('*', 'clientspecified'), undefined);
  assert.equal(bindAddress('localhost', 'clientspecified'), 'localhost');
  assert.equal(bindAddress('192.0.2.1', 'clientspecified'), '192.0.2.1');
});
