// tssh's algorithm choices: -c, -m, -C and -Q on the command line, the KEXINIT lists from ssh_config and flags,
// RekeyLimit, and known host key types first in HostKeyAlgorithms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryConfigFs, resolveSshConfig, type ResolvedSshConfig } from '@tssh/ssh-protocol/config';
import { algorithmCatalog, defaultAlgorithms } from '@tssh/ssh-protocol/transport';
import { UnsupportedQueryError, answerQuery } from '@tssh/ssh/dist/algorithm-query.js';
import { clientAlgorithms, compressionOffer, preferKnownHostKeyTypes } from '@tssh/ssh/dist/client-algorithms.js';
import { UsageError, parseTsshArgs } from '@tssh/ssh/dist/command-line.js';
import { FatalError } from '@tssh/ssh/dist/fatal-error.js';

function config(fileText = '', cliOptions: string[] = []): ResolvedSshConfig {
  return resolveSshConfig({
    host: 'h',
    files: ['/cfg'],
    fs: memoryConfigFs({ '/cfg': fileText }),
    local: { user: 'al', home: '/home/al', uid: 1000, hostname: 'box' },
    env: {},
    cliOptions,
    algorithms: algorithmCatalog(),
  });
}

test('-c, -m, -C and -Q are read; the last -c and -m count, the first -Q', () => {
  const a = parseTsshArgs(['-c', 'aes128-ctr', '-c', 'aes256-ctr', '-maes128-ctr', '-m', 'hmac-sha2-512', '-C', 'host']);
  assert.equal(a.cipherSpec, 'aes256-ctr');
  assert.equal(a.macSpec, 'hmac-sha2-512');
  assert.equal(a.compression, true);
  assert.equal(a.query, undefined);
  const plain = parseTsshArgs(['host']);
  assert.equal(plain.cipherSpec, undefined);
  assert.equal(plain.compression, false);
  const q = parseTsshArgs(['-Q', 'cipher', '-Q', 'mac']);
  assert.equal(q.query, 'cipher');
  assert.throws(() => parseTsshArgs(['-v']), UsageError, 'without -Q a destination is needed');
  assert.throws(() => parseTsshArgs(['-c']), UsageError);
});

test('-Q lists what we implement; keywords answer as their kinds; unknown kinds are refused', () => {
  const s = defaultAlgorithms();
  assert.deepEqual(answerQuery('kex').slice(0, s.kex.length), [...s.kex]);
  assert.ok(answerQuery('kex').includes('diffie-hellman-group1-sha1'), 'legacy methods are listed too, as ssh -Q does');
  assert.deepEqual(answerQuery('cipher'), [...s.ciphers]);
  assert.deepEqual(answerQuery('cipher-auth'), ['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com']);
  assert.ok(answerQuery('mac').includes('hmac-sha1'));
  assert.deepEqual(answerQuery('compression'), ['none', 'zlib@openssh.com', 'zlib']);
  assert.deepEqual(answerQuery('key'), ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa']);
  assert.deepEqual(answerQuery('key-sig'), [...answerQuery('key'), 'rsa-sha2-512', 'rsa-sha2-256']);
  assert.deepEqual(answerQuery('Ciphers'), answerQuery('cipher'));
  assert.deepEqual(answerQuery('KEXALGORITHMS'), answerQuery('kex'));
  assert.ok(answerQuery('help').includes('cipher-auth'));
  assert.throws(() => answerQuery('Cipher'), UnsupportedQueryError, 'kinds are lower case, as in ssh');
  assert.throws(() => answerQuery('bogus'), { message: 'Unsupported query "bogus"' });
});

test('without configuration: the defaults, compression none first, no rekey limits', () => {
  const a = clientAlgorithms(config(), {});
  const d = defaultAlgorithms();
  assert.deepEqual(a.prefs.kex, d.kex);
  assert.deepEqual(a.prefs.ciphers, d.ciphers);
  assert.deepEqual(a.prefs.macs, d.macs);
  assert.deepEqual(a.prefs.hostKey, d.hostKey);
  assert.deepEqual(a.prefs.compression, ['none', 'zlib@openssh.com', 'zlib']);
  assert.equal(a.hostKeyConfigured, false);
  assert.equal(a.rekeyLimitBytes, 0);
  assert.equal(a.rekeyIntervalMs, 0);
});

test('the files and -o apply +, - and ^ to the defaults; Compression, RekeyLimit and HostKeyAlgorithms are kept', () => {
  const a = clientAlgorithms(
    config('Ciphers -*-gcm@openssh.com\nMACs ^hmac-sha1\nKexAlgorithms +diffie-hellman-group1-sha1\nCompression yes\n', [
      'HostKeyAlgorithms=ssh-ed25519',
      'RekeyLimit=1G 1h',
    ]),
    {},
  );
  assert.deepEqual(a.prefs.ciphers, ['chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr']);
  assert.equal(a.prefs.macs[0], 'hmac-sha1');
  assert.equal(a.prefs.kex.at(-1), 'diffie-hellman-group1-sha1');
  assert.deepEqual(a.prefs.hostKey, ['ssh-ed25519']);
  assert.equal(a.hostKeyConfigured, true);
  assert.deepEqual(a.prefs.compression, ['zlib@openssh.com', 'zlib', 'none']);
  assert.equal(a.rekeyLimitBytes, 2 ** 30);
  assert.equal(a.rekeyIntervalMs, 3600_000);
});

test('-c and -m win over -o and the files; -C turns compression on; bad specs are ssh\'s one line', () => {
  const c = config('Ciphers aes256-ctr\nMACs hmac-sha2-512\n', ['Ciphers=aes192-ctr']);
  const a = clientAlgorithms(c, { cipherSpec: 'aes128-ctr,aes256-gcm@openssh.com', macSpec: '^hmac-sha2-256', compression: true });
  assert.deepEqual(a.prefs.ciphers, ['aes128-ctr', 'aes256-gcm@openssh.com']);
  assert.deepEqual(a.prefs.macs.slice(0, 2), ['hmac-sha2-256', 'hmac-sha2-256-etm@openssh.com']);
  assert.deepEqual(a.prefs.compression, compressionOffer(true));
  assert.deepEqual(clientAlgorithms(c, {}).prefs.ciphers, ['aes192-ctr'], '-o came before the file');
  assert.throws(() => clientAlgorithms(c, { cipherSpec: 'aes128-cbc' }), (e: unknown) => e instanceof FatalError && e.message === "Unknown cipher type 'aes128-cbc'");
  assert.throws(() => clientAlgorithms(c, { macSpec: 'umac-64@openssh.com' }), { message: "Unknown mac type 'umac-64@openssh.com'" });
});

test('known host key types go first, each part in its own order; ssh-rsa brings both SHA-2 signatures', () => {
  const d = defaultAlgorithms().hostKey;
  assert.deepEqual(preferKnownHostKeyTypes(d, []), [...d]);
  assert.deepEqual(preferKnownHostKeyTypes(d, ['ecdsa-sha2-nistp384']), [
    'ecdsa-sha2-nistp384',
    ...d.filter((a) => a !== 'ecdsa-sha2-nistp384'),
  ]);
  assert.deepEqual(preferKnownHostKeyTypes(d, ['ssh-rsa', 'ssh-ed25519']), [
    'ssh-ed25519',
    'rsa-sha2-512',
    'rsa-sha2-256',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
  ]);
  assert.deepEqual(preferKnownHostKeyTypes(['rsa-sha2-256', 'ssh-ed25519'], ['ssh-dss']), ['rsa-sha2-256', 'ssh-ed25519']);
});
