import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PacketReader,
  PacketWriter,
  decodeDisconnect,
  decodeExtInfo,
  decodeKexInit,
  encodeDisconnect,
  encodeExtInfo,
  encodeKexInit,
  negotiate,
  scanIdentification,
  deriveKey,
  type KexInit,
} from '@tssh/ssh-protocol/transport';
import { DecodeError, DisconnectReason, ProtocolError, SshError, concatBytes, fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';

const enc = (s: string) => utf8(s);

test('identification line: found after banner lines (client)', () => {
  const s = scanIdentification(enc('hello\r\nworld\nSSH-2.0-OpenSSH_9.2 Debian\r\nrest'), true);
  assert.equal(s.kind, 'found');
  if (s.kind !== 'found') return;
  assert.equal(s.version, 'SSH-2.0-OpenSSH_9.2 Debian');
  assert.deepEqual(s.preamble, ['hello', 'world']);
  assert.equal(s.consumed, 'hello\r\nworld\nSSH-2.0-OpenSSH_9.2 Debian\r\n'.length);
});

test('identification line: 1.99 accepted, 1.5 refused with PROTOCOL_VERSION_NOT_SUPPORTED', () => {
  assert.equal(scanIdentification(enc('SSH-1.99-x\r\n'), false).kind, 'found');
  assert.throws(
    () => scanIdentification(enc('SSH-1.5-x\r\n'), false),
    (e: unknown) => e instanceof SshError && e.reason === DisconnectReason.PROTOCOL_VERSION_NOT_SUPPORTED,
  );
});

test('identification line: server refuses a non-SSH first line', () => {
  assert.throws(() => scanIdentification(enc('GET / HTTP/1.1\r\n'), false), ProtocolError);
});

test('identification line: over 255 bytes refused; incomplete waits', () => {
  assert.throws(() => scanIdentification(enc(`SSH-2.0-${'x'.repeat(300)}\r\n`), false), ProtocolError);
  assert.equal(scanIdentification(enc('SSH-2.0-abc'), false).kind, 'need-more');
});

test('identification line: exactly 255 bytes with CR LF accepted', () => {
  const line = `SSH-2.0-${'x'.repeat(255 - 2 - 8)}`;
  assert.equal(scanIdentification(enc(`${line}\r\n`), false).kind, 'found');
});

const KEXINIT: KexInit = {
  cookie: new Uint8Array(16).fill(7),
  kex: ['curve25519-sha256', 'ext-info-c'],
  hostKey: ['ssh-ed25519'],
  cipherC2S: ['aes128-gcm@openssh.com'],
  cipherS2C: ['chacha20-poly1305@openssh.com'],
  macC2S: [],
  macS2C: ['hmac-sha2-256'],
  compressionC2S: ['none'],
  compressionS2C: ['none', 'zlib@openssh.com'],
  languageC2S: [],
  languageS2C: [],
  firstKexFollows: true,
};

test('KEXINIT round trip, and trailing bytes refused', () => {
  const p = encodeKexInit(KEXINIT);
  assert.deepEqual(decodeKexInit(p), KEXINIT);
  assert.throws(() => decodeKexInit(Uint8Array.from([...p, 0])), DecodeError);
  assert.throws(() => decodeKexInit(p.subarray(0, p.length - 1)), DecodeError);
});

test('RFC 4253 §7.1 negotiation: first of the client list the server has', () => {
  assert.equal(negotiate(['a', 'b', 'c'], ['c', 'b']), 'b');
  assert.equal(negotiate(['a'], ['b']), undefined);
});

test('DISCONNECT and EXT_INFO round trip', () => {
  assert.deepEqual(decodeDisconnect(encodeDisconnect(2, 'bad')), { reason: 2, description: 'bad' });
  const ext = decodeExtInfo(encodeExtInfo(new Map([['server-sig-algs', 'ssh-ed25519,rsa-sha2-256']])));
  assert.equal(Buffer.from(ext.get('server-sig-algs')!).toString(), 'ssh-ed25519,rsa-sha2-256');
});

test('packets: round trip with none cipher, and random padding of at least 4 bytes', () => {
  const w = new PacketWriter((n) => new Uint8Array(n).fill(0xaa));
  const r = new PacketReader();
  for (const size of [1, 2, 3, 4, 5, 100, 35000]) {
    const payload = new Uint8Array(size).fill(size & 0xff);
    const wire = concatBytes(...w.write(payload));
    assert.equal(wire.length % 8, 0);
    r.push(wire);
    const pkt = r.next();
    assert.ok(pkt);
    assert.deepEqual(pkt.payload, payload);
  }
  assert.equal(r.next(), undefined);
});

test('packets: oversized or tiny packet_length is a ProtocolError', () => {
  for (const len of [0, 4, 256 * 1024 + 1, 0xffffffff]) {
    const r = new PacketReader();
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, len);
    r.push(b);
    assert.throws(() => r.next(), ProtocolError, `length ${len}`);
  }
});

test('packets: padding under 4 bytes or eating the payload is a ProtocolError', () => {
  for (const hex of ['0000000c03' + '5e'.repeat(8) + '000000', '0000000c0b' + '00'.repeat(11)]) {
    const r = new PacketReader();
    r.push(fromHex(hex));
    assert.throws(() => r.next(), ProtocolError);
  }
});

test('RFC 4253 §7.2 key derivation extends past one hash output', () => {
  const k = fromHex('0000000101');
  const h = new Uint8Array(32).fill(2);
  const sid = new Uint8Array(32).fill(3);
  const a = deriveKey('sha256', k, h, 'C', sid, 64);
  const b = deriveKey('sha256', k, h, 'C', sid, 32);
  assert.equal(a.length, 64);
  assert.equal(toHex(a.subarray(0, 32)), toHex(b));
  assert.notEqual(toHex(deriveKey('sha256', k, h, 'D', sid, 32)), toHex(b));
});

test('curve25519: a low-order peer key fails the exchange with KEY_EXCHANGE_FAILED', async () => {
  const { curve25519Sha256 } = await import('@tssh/ssh-protocol/kex');
  const { Ed25519PrivateKey } = await import('@tssh/ssh-protocol/keys');
  const { KexError, SshWriter } = await import('@tssh/ssh-protocol/wire');
  const { systemRandom } = await import('@tssh/ssh-protocol/crypto');
  const env = { random: systemRandom, now: Date.now, log: { error() {}, warn() {}, info() {}, verbose() {}, debug() {} } };
  const host = new Ed25519PrivateKey(systemRandom(32));
  const inputs = { clientVersion: 'SSH-2.0-a', serverVersion: 'SSH-2.0-b', clientKexInit: new Uint8Array(1), serverKexInit: new Uint8Array(1), env };
  const server = curve25519Sha256.server(inputs, { blob: host.publicKey.blob, sign: (h) => host.sign(h) });
  // u = 0 and u = 1 are points of small order (RFC 7748 §6.1).
  for (const u of [new Uint8Array(32), Uint8Array.of(1, ...new Uint8Array(31))]) {
    const init = new SshWriter().byte(30).string(u).toBytes();
    assert.throws(() => server.handle(init), (e: unknown) => e instanceof KexError && e.reason === DisconnectReason.KEY_EXCHANGE_FAILED);
  }
});

test('AES-GCM packet protection copies its key and IV, even from a Buffer', async () => {
  const { aes128Gcm } = await import('@tssh/ssh-protocol/transport');
  const key = Buffer.alloc(16, 1);
  const iv = Buffer.alloc(12, 2);
  const sealer = aes128Gcm.createSealer(key, iv);
  const packet = fromHex('0000000c0a5e000000000000000000000000');
  const wire = concatBytes(...sealer.seal(0, packet.subarray(0, 16)));
  assert.deepEqual(iv, Buffer.alloc(12, 2), 'the caller IV is untouched');
  const opener = aes128Gcm.createOpener(key, iv);
  assert.deepEqual(opener.open(0, wire), packet.subarray(4, 16));
});
