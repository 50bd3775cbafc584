// ecdsa-sha2-nistp* (RFC 5656) and ssh-rsa (RFC 4253 §6.6, RFC 8332) keys: blobs and signatures checked against
// node:crypto both ways, every malformed input refused, generation sizes and the algorithm lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { nistOrder, systemRandom } from '@tssh/ssh-protocol/crypto';
import {
  ECDSA_NISTP256_KEY_TYPE,
  EcdsaPrivateKey,
  EcdsaPublicKey,
  InvalidKeySizeError,
  KeyFormatError,
  RSA_KEY_TYPE,
  RsaPrivateKey,
  UnknownKeyTypeNameError,
  defaultSignatureAlgorithms,
  keyBits,
  keyTypeForGeneration,
  keyTypeForSignatureAlgorithm,
  parsePrivateKeyFile,
  parsePublicKeyBlob,
  supportedSignatureAlgorithms,
  type PrivateKey,
} from '@tssh/ssh-protocol/keys';
import { algorithmCatalog, defaultAlgorithms, SUPPORTED } from '@tssh/ssh-protocol/transport';
import { DecodeError, SshReader, SshWriter, concatBytes, utf8 } from '@tssh/ssh-protocol/wire';
import { ENC_PASSPHRASE, keyFixture } from '../helpers/key-fixtures.js';

const DATA = utf8('exchange hash or userauth data');

const ecdsa256 = parsePrivateKeyFile(keyFixture('id_ecdsa')) as EcdsaPrivateKey;
const ecdsa521 = parsePrivateKeyFile(keyFixture('id_ecdsa521')) as EcdsaPrivateKey;
const rsa = parsePrivateKeyFile(keyFixture('id_rsa_pem')) as RsaPrivateKey;
/** The same keys as node:crypto objects, straight from the PEM files. */
const nodeRsa = createPrivateKey(keyFixture('id_rsa_pem'));
const nodeEc = createPrivateKey(keyFixture('id_ecdsa_pem'));
const ecdsaPem = parsePrivateKeyFile(keyFixture('id_ecdsa_pem')) as EcdsaPrivateKey;

const blob = (...fields: Array<(w: SshWriter) => void>) => {
  const w = new SshWriter();
  for (const f of fields) f(w);
  return w.toBytes();
};

/** ECDSA signature blob from raw integers (RFC 5656 §3.1.2), letting a test put any value in. */
function ecdsaSig(type: string, r: bigint, s: bigint, extra = new Uint8Array(0)): Uint8Array {
  const inner = concatBytes(new SshWriter().mpint(r).mpint(s).toBytes(), extra);
  return new SshWriter().string(type).string(inner).toBytes();
}

function rsIntegers(sig: Uint8Array): [bigint, bigint] {
  const r = new SshReader(sig);
  r.string();
  const inner = new SshReader(r.bytes());
  return [inner.mpint(), inner.mpint()];
}

// ---- ECDSA against node:crypto ----

test('ECDSA: our signature verifies with node:crypto (P-256, SHA-256), and node:crypto\'s with ours', () => {
  const sig = ecdsaPem.sign(DATA);
  const [r, s] = rsIntegers(sig);
  const p1363 = Buffer.from((r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0')), 'hex');
  assert.ok(nodeVerify('sha256', DATA, { key: createPublicKey(nodeEc), dsaEncoding: 'ieee-p1363' }, p1363));
  for (let i = 0; i < 8; i++) {
    const theirs = nodeSign('sha256', DATA, { key: nodeEc, dsaEncoding: 'ieee-p1363' });
    const blobOf = ecdsaSig('ecdsa-sha2-nistp256', BigInt(`0x${theirs.subarray(0, 32).toString('hex')}`), BigInt(`0x${theirs.subarray(32).toString('hex')}`));
    assert.ok(ecdsaPem.publicKey.verify(DATA, blobOf));
  }
});

test('ECDSA signature blob: string type, string (mpint r, mpint s); P-521 integers up to 66 bytes', () => {
  for (let i = 0; i < 4; i++) {
    const sig = ecdsa521.sign(DATA);
    const r = new SshReader(sig);
    assert.equal(r.string(), 'ecdsa-sha2-nistp521');
    const inner = new SshReader(r.bytes());
    r.end();
    const [x, y] = [inner.mpint(), inner.mpint()];
    inner.end();
    assert.ok(x > 0n && y > 0n && x < nistOrder('nistp521') && y < nistOrder('nistp521'));
    assert.ok(ecdsa521.publicKey.verify(DATA, sig));
  }
});

test('ECDSA: malformed signatures are refused, never thrown', () => {
  const key = ecdsa256.publicKey;
  const good = ecdsa256.sign(DATA);
  const [r, s] = rsIntegers(good);
  const n = nistOrder('nistp256');
  assert.ok(key.verify(DATA, ecdsaSig('ecdsa-sha2-nistp256', r, s)));
  const cases: Array<[string, Uint8Array]> = [
    ['other curve name', ecdsaSig('ecdsa-sha2-nistp384', r, s)],
    ['r = 0', ecdsaSig('ecdsa-sha2-nistp256', 0n, s)],
    ['s = 0', ecdsaSig('ecdsa-sha2-nistp256', r, 0n)],
    ['negative r', ecdsaSig('ecdsa-sha2-nistp256', -r, s)],
    ['r + n', ecdsaSig('ecdsa-sha2-nistp256', r + n, s)],
    ['s = n', ecdsaSig('ecdsa-sha2-nistp256', r, n)],
    ['trailing bytes inside', ecdsaSig('ecdsa-sha2-nistp256', r, s, Uint8Array.of(0))],
    ['trailing bytes outside', concatBytes(good, Uint8Array.of(0))],
    ['truncated', good.subarray(0, good.length - 1)],
    ['empty', new Uint8Array(0)],
    ['only r', blob((w) => w.string('ecdsa-sha2-nistp256'), (w) => w.string(new SshWriter().mpint(r).toBytes()))],
    ['raw r||s instead of mpints', blob((w) => w.string('ecdsa-sha2-nistp256'), (w) => w.string(new Uint8Array(64).fill(1)))],
  ];
  for (const [what, sig] of cases) assert.equal(key.verify(DATA, sig), false, what);
});

test('ECDSA public blobs: wrong curve identifier, points off the curve, wrong sizes, trailing bytes', () => {
  const point = ecdsa256.publicKey.point;
  const good = blob((w) => w.string('ecdsa-sha2-nistp256').string('nistp256').string(point));
  assert.ok(parsePublicKeyBlob(good) instanceof EcdsaPublicKey);
  const offCurve = point.slice();
  offCurve[64] ^= 1;
  const cases: Array<[string, Uint8Array, new (...a: never[]) => Error]> = [
    ['curve id of another type', blob((w) => w.string('ecdsa-sha2-nistp256').string('nistp384').string(point)), KeyFormatError],
    ['unknown curve id', blob((w) => w.string('ecdsa-sha2-nistp256').string('nistp255').string(point)), KeyFormatError],
    ['point off the curve', blob((w) => w.string('ecdsa-sha2-nistp256').string('nistp256').string(offCurve)), KeyFormatError],
    ['compressed point', blob((w) => w.string('ecdsa-sha2-nistp256').string('nistp256').string(concatBytes(Uint8Array.of(2), point.subarray(1, 33)))), KeyFormatError],
    ['point too short', blob((w) => w.string('ecdsa-sha2-nistp256').string('nistp256').string(point.subarray(0, 64))), KeyFormatError],
    ['P-256 point in a P-384 key', blob((w) => w.string('ecdsa-sha2-nistp384').string('nistp384').string(point)), KeyFormatError],
    ['trailing bytes', concatBytes(good, Uint8Array.of(0)), DecodeError],
    ['truncated', good.subarray(0, good.length - 1), DecodeError],
  ];
  for (const [what, b, type] of cases) assert.throws(() => parsePublicKeyBlob(b), type, what);
});

test('ECDSA private keys: d must be in [1, n-1] and Q must be d * G', () => {
  const n = nistOrder('nistp256');
  const toBytes = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
  assert.throws(() => new EcdsaPrivateKey('nistp256', new Uint8Array(32)), KeyFormatError);
  assert.throws(() => new EcdsaPrivateKey('nistp256', toBytes(n)), KeyFormatError);
  assert.ok(new EcdsaPrivateKey('nistp256', toBytes(n - 1n)).publicKey);
  assert.throws(() => new EcdsaPrivateKey('nistp256', ecdsa256.secretScalar, '', ecdsa521.publicKey.point), KeyFormatError);
  assert.throws(() => ecdsa256.sign(DATA, 'ecdsa-sha2-nistp384'), RangeError);
  const gen = ECDSA_NISTP256_KEY_TYPE.generate(systemRandom);
  assert.ok(gen.publicKey.verify(DATA, gen.sign(DATA)));
});

// ---- RSA against node:crypto ----

const RSA_ALGS = [
  ['rsa-sha2-512', 'sha512'],
  ['rsa-sha2-256', 'sha256'],
  ['ssh-rsa', 'sha1'],
] as const;

function rsaSigBlob(alg: string, s: Uint8Array): Uint8Array {
  return new SshWriter().string(alg).string(s).toBytes();
}

for (const [alg, hash] of RSA_ALGS) {
  test(`RSA ${alg}: ours verifies with node:crypto (PKCS #1 v1.5, ${hash}), node:crypto's verifies with ours`, () => {
    const sig = new SshReader(rsa.sign(DATA, alg));
    assert.equal(sig.string(), alg);
    const s = sig.bytes();
    sig.end();
    assert.equal(s.length, 256);
    assert.ok(nodeVerify(hash, DATA, { key: createPublicKey(nodeRsa), padding: constants.RSA_PKCS1_PADDING }, s));
    const theirs = nodeSign(hash, DATA, { key: nodeRsa, padding: constants.RSA_PKCS1_PADDING });
    assert.ok(rsa.publicKey.verify(DATA, rsaSigBlob(alg, theirs)));
    // The algorithm name selects the hash: the same bytes under another name fail.
    for (const [other] of RSA_ALGS) if (other !== alg) assert.equal(rsa.publicKey.verify(DATA, rsaSigBlob(other, theirs)), false);
  });
}

test('RSA: a signature with its leading zero bytes dropped is accepted (as OpenSSH does), a longer one is not', () => {
  // Find a message whose signature starts with a zero byte (1 in 256).
  let found: Buffer | undefined;
  let msg = DATA;
  for (let i = 0; !found; i++) {
    msg = utf8(`message ${i}`);
    const s = nodeSign('sha512', msg, { key: nodeRsa, padding: constants.RSA_PKCS1_PADDING });
    if (s[0] === 0) found = s;
  }
  assert.ok(rsa.publicKey.verify(msg, rsaSigBlob('rsa-sha2-512', found.subarray(1))));
  assert.equal(rsa.publicKey.verify(msg, rsaSigBlob('rsa-sha2-512', Buffer.concat([Buffer.of(0), found]))), false);
  assert.equal(rsa.publicKey.verify(msg, rsaSigBlob('rsa-sha2-512', found.subarray(2))), false);
});

test('RSA: malformed signatures are refused, never thrown', () => {
  const good = rsa.sign(DATA, 'rsa-sha2-256');
  const r = new SshReader(good);
  r.string();
  const s = r.bytes();
  const cases: Array<[string, Uint8Array]> = [
    ['unknown algorithm', rsaSigBlob('rsa-sha2-384', s)],
    ['an SHA-256 signature named ssh-rsa (SHA-1)', rsaSigBlob('ssh-rsa', s)],
    ['trailing bytes', concatBytes(good, Uint8Array.of(0))],
    ['truncated', good.subarray(0, good.length - 1)],
    ['empty signature', rsaSigBlob('rsa-sha2-256', new Uint8Array(0))],
    ['all ones', rsaSigBlob('rsa-sha2-256', new Uint8Array(256).fill(0xff))],
  ];
  for (const [what, sig] of cases) assert.equal(rsa.publicKey.verify(DATA, sig), false, what);
  assert.throws(() => rsa.sign(DATA, 'ssh-ed25519'), RangeError);
});

/** An ssh-rsa public blob with the given exponent and modulus. */
const rsaBlob = (e: bigint, n: bigint) => blob((w) => w.string('ssh-rsa').mpint(e).mpint(n));

test('RSA public blobs: e = 1, even e, tiny and oversized moduli, trailing bytes are refused', () => {
  const pub = rsa.publicKey;
  const n = BigInt(`0x${Buffer.from(pub.n).toString('hex')}`);
  assert.equal(keyBits(parsePublicKeyBlob(rsaBlob(65537n, n))), 2048);
  assert.equal(keyBits(parsePublicKeyBlob(rsaBlob(3n, (1n << 1023n) + 1n))), 1024);
  const cases: Array<[string, Uint8Array, new (...a: never[]) => Error]> = [
    ['e = 1', rsaBlob(1n, n), KeyFormatError],
    ['e = 0', rsaBlob(0n, n), KeyFormatError],
    ['even e', rsaBlob(65536n, n), KeyFormatError],
    ['negative e', rsaBlob(-65537n, n), DecodeError],
    ['e >= n', rsaBlob(n + 2n, n), KeyFormatError],
    ['1023-bit modulus', rsaBlob(65537n, (1n << 1022n) + 1n), KeyFormatError],
    ['512-bit modulus', rsaBlob(65537n, (1n << 511n) + 1n), KeyFormatError],
    ['16385-bit modulus', rsaBlob(65537n, (1n << 16384n) + 1n), KeyFormatError],
    ['even modulus', rsaBlob(65537n, n + 1n), KeyFormatError],
    ['negative modulus', rsaBlob(65537n, -n), DecodeError],
    ['trailing bytes', concatBytes(rsaBlob(65537n, n), Uint8Array.of(0)), DecodeError],
    ['missing modulus', blob((w) => w.string('ssh-rsa').mpint(65537n)), DecodeError],
  ];
  for (const [what, b, type] of cases) assert.throws(() => parsePublicKeyBlob(b), type, what);
});

test('RSA private keys whose numbers do not belong together are refused', () => {
  const k = rsa.secretNumbers;
  const big = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex')}`);
  const bytes = (v: bigint) => Buffer.from(v.toString(16).padStart(2 * Math.ceil(v.toString(16).length / 2), '0'), 'hex');
  const parts = { n: k.n, e: k.e, d: k.d, iqmp: k.qi, p: k.p, q: k.q };
  assert.ok(new RsaPrivateKey(parts));
  assert.throws(() => new RsaPrivateKey({ ...parts, p: bytes(big(k.p) + 2n) }), KeyFormatError);
  assert.throws(() => new RsaPrivateKey({ ...parts, iqmp: bytes(big(k.qi) + 1n) }), KeyFormatError);
  assert.throws(() => new RsaPrivateKey({ ...parts, d: bytes(big(k.d) + 2n) }), KeyFormatError);
  assert.throws(() => new RsaPrivateKey({ ...parts, e: bytes(3n) }), KeyFormatError);
});

test('RSA generation: the size asked for, e = 65537, a working key', () => {
  const key = RSA_KEY_TYPE.generate(systemRandom, 1024) as RsaPrivateKey;
  assert.equal(keyBits(key.publicKey), 1024);
  assert.equal(Buffer.from(key.publicKey.e).toString('hex'), '010001');
  for (const alg of key.publicKey.signatureAlgorithms) assert.ok(key.publicKey.verify(DATA, key.sign(DATA, alg)));
  assert.throws(() => RSA_KEY_TYPE.generate(systemRandom, 1023), RangeError);
});

// ---- generation choices and algorithm lists ----

test('keyTypeForGeneration chooses like ssh-keygen -t/-b, with its messages', () => {
  const pick = (t: string, b?: number) => {
    const c = keyTypeForGeneration(t, b);
    return [c.info.name, c.bits];
  };
  assert.deepEqual(pick('ed25519'), ['ssh-ed25519', 256]);
  assert.deepEqual(pick('ed25519', 1234), ['ssh-ed25519', 256]);
  assert.deepEqual(pick('ecdsa'), ['ecdsa-sha2-nistp256', 256]);
  assert.deepEqual(pick('ECDSA', 384), ['ecdsa-sha2-nistp384', 384]);
  assert.deepEqual(pick('ecdsa', 521), ['ecdsa-sha2-nistp521', 521]);
  assert.deepEqual(pick('rsa'), ['ssh-rsa', 3072]);
  assert.deepEqual(pick('rsa', 4096), ['ssh-rsa', 4096]);
  assert.deepEqual(pick('rsa', 1024), ['ssh-rsa', 1024]);
  const fails: Array<[string, number | undefined, string]> = [
    ['ecdsa', 512, 'Invalid ECDSA key length: valid lengths are 256, 384 or 521 bits'],
    ['rsa', 1023, 'Invalid RSA key length: minimum is 1024 bits'],
    ['rsa', 16385, 'Invalid RSA key length: maximum is 16384 bits'],
  ];
  for (const [t, b, message] of fails) assert.throws(() => keyTypeForGeneration(t, b), (e: unknown) => e instanceof InvalidKeySizeError && e.message === message);
  assert.throws(() => keyTypeForGeneration('dsa'), UnknownKeyTypeNameError);
});

test('signature algorithms are not key types: lists, defaults without SHA-1, and the way back to a type', () => {
  const all = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  assert.deepEqual(supportedSignatureAlgorithms(), all);
  assert.deepEqual(defaultSignatureAlgorithms(), all.slice(0, -1));
  assert.deepEqual([...SUPPORTED.hostKey], all);
  assert.deepEqual([...defaultAlgorithms().hostKey], all.slice(0, -1));
  const catalog = algorithmCatalog();
  for (const slot of [catalog.hostKeyAlgorithms, catalog.pubkeyAcceptedAlgorithms]) {
    assert.deepEqual([...slot.defaults], all.slice(0, -1));
    assert.deepEqual([...slot.supported], all);
  }
  assert.equal(keyTypeForSignatureAlgorithm('rsa-sha2-256')?.name, 'ssh-rsa');
  assert.equal(keyTypeForSignatureAlgorithm('ecdsa-sha2-nistp521')?.name, 'ecdsa-sha2-nistp521');
  assert.equal(keyTypeForSignatureAlgorithm('ssh-dss'), undefined);
  const keys: PrivateKey[] = [ecdsa256, rsa, parsePrivateKeyFile(keyFixture('id_ecdsa384_enc'), ENC_PASSPHRASE)];
  assert.deepEqual(keys.map((k) => k.publicKey.signatureAlgorithms), [
    ['ecdsa-sha2-nistp256'],
    ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
    ['ecdsa-sha2-nistp384'],
  ]);
});

test('a wiped key has zero secrets and signs no more', () => {
  const key = parsePrivateKeyFile(keyFixture('id_ecdsa')) as EcdsaPrivateKey;
  key.wipe();
  assert.ok(key.secretScalar.every((b) => b === 0));
  assert.throws(() => key.sign(DATA));
  const r = parsePrivateKeyFile(keyFixture('id_rsa_pem')) as RsaPrivateKey;
  r.wipe();
  assert.ok(r.secretNumbers.d.every((b) => b === 0));
  assert.throws(() => r.sign(DATA));
});
