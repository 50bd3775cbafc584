// crypt(3) password hashes: vectors from yescrypt's test suite (TESTS-OK) and hashes made on Debian 12 by
// mkpasswd (libxcrypt) and `openssl passwd`, plus malformed settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cryptPassword,
  decodeCryptBase64,
  encodeCryptBase64,
  passwordHashScheme,
  verifyPasswordHash,
  yescryptKdf,
} from '@tssh/ssh-protocol/crypto';
import { toHex, utf8 } from '@tssh/ssh-protocol/wire';

const VECTORS: ReadonlyArray<readonly [password: string, hash: string, source: string]> = [
  ['Hello world!', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5', 'openssl passwd -5'],
  ['Hello world!', '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1', 'openssl passwd -6'],
  ['Hello world!', '$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA', 'mkpasswd -m sha-256 -R 10000'],
  ['x', '$6$rounds=1234$0USWrtjjStP5js8j$V2gh2FEo2S7Pfzm12tfzXYDxs.SvRvceB9vx2.LWOCJgOWlN1.MA/YLuQPu06HB5ZQWSCoH9ppQgXGpqyvngb/', 'mkpasswd -m sha512crypt -R 1234'],
  ['correct horse', '$6$SRm/vJ90NpLjshB/$mNmDPKntx7Hn2LxK1ytnlLKp2IWS32AolpUPPl2s7i1HpoLggeYwQ6UjTDBag/SLj7e/jWceBu99wofn05/Dm1', 'mkpasswd -m sha512crypt'],
  ['', '$6$v6EWNzeIARtP5KNi$TtF6ssPg2v71s/Z1RYD6ej5Y6Myq4oUjE1ZijYaamDzIb27IkIgpDyt1R9dae7XLDMRW8LRum9Dqj9Y7.l2dz.', 'mkpasswd -m sha512crypt (empty)'],
  ['pässwörd with spaces', '$5$rounds=1000$z9JBBCbINyygKJAY$muBVJ2fo.QI9DO/nwNwp/drvoB5g.NnoZZvyncI4WxD', 'mkpasswd -m sha256crypt'],
  ['hello', '$y$j9T$v6mEOurASAudc4xr2Gc4J.$zbfTDPUm75ZNOQT2xIlrRY4N4R1bl/Ofoha..bi/zQ8', 'mkpasswd -m yescrypt (Debian default cost)'],
  ['correct horse', '$y$j75$sM7g/jqiIVXJYc/93ESAv0$vJ/AEbUa9nkty0HIHVoCcn0mZ0F5g469nkSfGGLKTc4', 'mkpasswd -m yescrypt -R 1'],
  ['correct horse', '$y$j7T$s4xF/dYrrOLYRltuhgdnL0$4y0wGEzkbtt5i.Zw23O5yFMtYrVQl45qWP3nqW9GRY8', 'mkpasswd -m yescrypt -R 3'],
  ['', '$y$j9T$N849G3bPIKdQtKt8eonan.$Gf9fNHsk4yJW7rpGhAfNzmBO8XJQqexrHq98JHdJfE1', 'mkpasswd -m yescrypt (empty)'],
  ['hello', '$7$BU..../....BFPLW/8P70K.AX5nRpJO5.$./WYel/GLjeM2lZryfwaZNLhZvPi5llWiEPsg9Jxb82', 'mkpasswd -m scrypt'],
  ['pleaseletmein', '$y$j0/$LdJM$k7BXzSDuoGHW56SY3HxROCiA0gWRscZe2aA0q5oHPM0', 'yescrypt TESTS-OK'],
  ['pleaseletmein', '$y$///$L/$Rrrkp6OVljrIk0kcwkCDhAiHJiSthh3cKeIGHUW7Z0C', 'yescrypt TESTS-OK (WORM)'],
  ['pleaseletmein', '$y$j2..1$LdJME/$iLEt6kuTwHch6XdCxtTHfsQzYwWFmpUwgl6Ax8RH4d1', 'yescrypt TESTS-OK (p > 1)'],
  ['pleaseletmein', '$y$/3..2$LdJMENpB$tNczXFuNUd3HMqypStCRsEaL4e4KF7ZYLBe8Hbeg0B7', 'yescrypt TESTS-OK (WORM, p > 1)'],
  ['pleaseletmein', '$y$/A2$LdJMENpBABJJ3hIHj/$5IEld1eWdmh5lylrqHLF5dvA3ISpimEM9J1Dd05n/.3', 'yescrypt TESTS-OK (WORM, r = 3)'],
  ['pleaseletmein', '$7$C6..../....SodiumChloride$kBGj9fHznVYFQMEn/qDCfrDevf9YDtcDdKvEqHJLV8D', 'yescrypt TESTS-OK (scrypt)'],
];

for (const [password, hash, source] of VECTORS) {
  test(`crypt: ${source}: ${hash.slice(0, 16)}...`, () => {
    assert.equal(cryptPassword(utf8(password), hash), hash);
    assert.equal(verifyPasswordHash(utf8(password), hash), true);
    assert.equal(verifyPasswordHash(utf8(`${password}.`), hash), false);
  });
}

// yescrypt(passwd, salt, flags, N, r, p, t, g, dkLen) from TESTS-OK.
const KDF_VECTORS = [
  [0x0b6, 16, 8, 1, 0, 40, 'c8c7ff1122b0b291c3f2608948782cd689cc45579017aaa5ff8baa74a632ec99c3d66930fb2023bb'],
  [0x0b6, 16, 8, 1, 0, 8, 'c8c7ff1122b0b291'],
  [1, 16, 8, 1, 10, 40, '9e7a4097644284cf3b73b60450ff230cdcb6b1b19b1509eeb482f696c4f1c705c00f740216183a12'],
  [1, 16, 8, 1, 0, 40, '9dd636c2d0bb92345286efdaf8a68cfc1b4ffdc4b1adaccc7d864b9a6787b85d6ae0f5280da8889f'],
] as const;

for (const [flags, N, r, p, t, dkLen, hex] of KDF_VECTORS) {
  test(`yescrypt KDF flags=${flags} N=${N} r=${r} p=${p} t=${t} dkLen=${dkLen}`, () => {
    assert.equal(toHex(yescryptKdf(utf8('p'), utf8('s'), { flags, N, r, p, t }, dkLen)), hex);
  });
}

test('yescrypt KDF refuses unknown flags, N not a power of two, and absurd memory', () => {
  assert.throws(() => yescryptKdf(utf8('p'), utf8('s'), { flags: 0x0b2, N: 16, r: 8, p: 1, t: 0 }), /flags/);
  assert.throws(() => yescryptKdf(utf8('p'), utf8('s'), { flags: 0x0b6, N: 24, r: 8, p: 1, t: 0 }), /power of 2/);
  assert.throws(() => yescryptKdf(utf8('p'), utf8('s'), { flags: 0x0b6, N: 2 ** 24, r: 512, p: 1, t: 0 }), /memory/);
});

const MALFORMED = [
  '', '!', '*', '!!', '!$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl', 'x', '$1$abc$def', '$2b$10$abcdefghijklmnopqrstuv',
  '$y$', '$y$j9T', '$y$j9T$a$hash', '$y$j9T$!bad$hash', '$y$~9T$salt$hash', '$y$j9T.$salt$hash',
  '$y$j9T3/$LdJM$x', '$y$j9T5/$LdJM$x', '$7$', '$7$C6....$x', '$7$C!..../....salt$x', '$6$sa:lt$x',
];

for (const setting of MALFORMED) {
  test(`crypt: malformed or unsupported setting ${JSON.stringify(setting)} matches nothing`, () => {
    assert.equal(cryptPassword(utf8('p'), setting), undefined);
    assert.equal(verifyPasswordHash(utf8('p'), setting), false);
  });
}

test('a setting without its hash part never verifies', () => {
  for (const setting of ['$y$j9T$', '$y$j75$sM7g/jqiIVXJYc/93ESAv0', '$6$saltstring', '$5$rounds=1000$saltstring$']) {
    assert.equal(verifyPasswordHash(utf8(''), setting), false);
  }
});

test('password hash schemes by prefix', () => {
  assert.equal(passwordHashScheme('$y$j9T$x$y'), 'yescrypt');
  assert.equal(passwordHashScheme('$7$x'), 'scrypt');
  assert.equal(passwordHashScheme('$6$x$y'), 'sha512crypt');
  assert.equal(passwordHashScheme('$5$x$y'), 'sha256crypt');
  assert.equal(passwordHashScheme('!$6$x$y'), undefined);
  assert.equal(passwordHashScheme('$1$x$y'), undefined);
});

test('crypt base-64 round trips and rejects non-canonical text', () => {
  for (let n = 0; n < 10; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 0xff);
    assert.deepEqual(decodeCryptBase64(encodeCryptBase64(bytes)), bytes);
  }
  assert.equal(encodeCryptBase64(Uint8Array.of(0, 0, 0)), '....');
  assert.equal(encodeCryptBase64(Uint8Array.of(0xff, 0xff, 0xff)), 'zzzz');
  assert.equal(decodeCryptBase64('a'), undefined, 'a lone character holds no byte');
  assert.equal(decodeCryptBase64('zz'), undefined, 'bits beyond the last byte must be zero');
  assert.equal(decodeCryptBase64('ab!d'), undefined);
});
