// ecdh-sha2-nistp256/384/521 (RFC 5656 §4): the curve adapter against NIST CAVS 14.1 ECC CDH vectors, both halves
// of the method against a peer built on node:crypto's ECDH, and refusals of bad points and malformed messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH } from 'node:crypto';
import { nistPublicKey, nistSecretKey, nistSeedLength, nistSharedSecret, type NistCurveName } from '@tssh/ssh-protocol/crypto';
import { KEX_ECDH_MSG, KEX_METHODS } from '@tssh/ssh-protocol/kex';
import { DecodeError, KexError, ProtocolError, SshReader, SshWriter, fromHex, toHex } from '@tssh/ssh-protocol/wire';
import { expectedExchangeHash, kexInputs, mpintOf, recordingHostKey } from '../helpers/kex-peer.js';

// NIST CAVS 14.1 ECC CDH Primitive (SP 800-56A), COUNT = 0 of each curve (P-521 scalars without the two extra
// leading zero bytes of the published file).
const CAVS: Record<NistCurveName, { d: string; q: string; peer: string; z: string }> = {
  nistp256: {
    d: '7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534',
    q: '04ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b23028af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce1405141',
    peer: '04700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac',
    z: '46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b',
  },
  nistp384: {
    d: '3cc3122a68f0d95027ad38c067916ba0eb8c38894d22e1b15618b6818a661774ad463b205da88cf699ab4d43c9cf98a1',
    q: '049803807f2f6d2fd966cdd0290bd410c0190352fbec7ff6247de1302df86f25d34fe4a97bef60cff548355c015dbb3e5fba26ca69ec2f5b5d9dad20cc9da711383a9dbe34ea3fa5a2af75b46502629ad54dd8b7d73a8abb06a3a3be47d650cc99',
    peer: '04a7c76b970c3b5fe8b05d2838ae04ab47697b9eaf52e764592efda27fe7513272734466b400091adbf2d68c58e0c50066ac68f19f2e1cb879aed43a9969b91a0839c4c38a49749b661efedf243451915ed0905a32b060992b468c64766fc8437a',
    z: '5f9d29dc5e31a163060356213669c8ce132e22f57c9a04f40ba7fcead493b457e5621e766c40a2e3d4d6a04b25e533f1',
  },
  nistp521: {
    d: '017eecc07ab4b329068fba65e56a1f8890aa935e57134ae0ffcce802735151f4eac6564f6ee9974c5e6887a1fefee5743ae2241bfeb95d5ce31ddcb6f9edb4d6fc47',
    q: '0400602f9d0cf9e526b29e22381c203c48a886c2b0673033366314f1ffbcba240ba42f4ef38a76174635f91e6b4ed34275eb01c8467d05ca80315bf1a7bbd945f550a501b7c85f26f5d4b2d7355cf6b02117659943762b6d1db5ab4f1dbc44ce7b2946eb6c7de342962893fd387d1b73d7a8672d1f236961170b7eb3579953ee5cdc88cd2d',
    peer: '0400685a48e86c79f0f0875f7bc18d25eb5fc8c0b07e5da4f4370f3a9490340854334b1e1b87fa395464c60626124a4e70d0f785601d37c09870ebf176666877a2046d01ba52c56fc8776d9e8f5db4f0cc27636d0b741bbe05400697942e80b739884a83bde99e0f6716939e632bc8986fa18dccd443a348b6c3e522497955a4f3c302f676',
    z: '005fc70477c3e63bc3954bd0df3ea0d1f41ee21746ed95fc5e1fdf90930d5e136672d72cc770742d1711c3c3a4c334a0ad9759436a4d3c5bf6e74b9578fac148c831',
  },
};

const METHODS = [
  { curve: 'nistp256', name: 'ecdh-sha2-nistp256', hash: 'sha256', openssl: 'prime256v1' },
  { curve: 'nistp384', name: 'ecdh-sha2-nistp384', hash: 'sha384', openssl: 'secp384r1' },
  { curve: 'nistp521', name: 'ecdh-sha2-nistp521', hash: 'sha512', openssl: 'secp521r1' },
] as const;

/** Points that must be refused: not uncompressed, not on the curve, infinity, wrong length. */
function badPoints(curve: NistCurveName): [string, Uint8Array][] {
  const good = fromHex(CAVS[curve].peer);
  const offCurve = good.slice();
  offCurve[offCurve.length - 1] ^= 1;
  const compressed = Uint8Array.of(2 + (good[good.length - 1] & 1), ...good.subarray(1, 1 + (good.length - 1) / 2));
  const zeroes = new Uint8Array(good.length);
  zeroes[0] = 4;
  return [
    ['empty', new Uint8Array(0)],
    ['infinity (0x00)', Uint8Array.of(0)],
    ['compressed', compressed],
    ['off the curve', offCurve],
    ['(0, 0)', zeroes],
    ['one byte short', good.subarray(0, good.length - 1)],
    ['one byte long', Uint8Array.of(...good, 0)],
    ['hybrid prefix 0x06', Uint8Array.of(6, ...good.subarray(1))],
  ];
}

for (const [curve, v] of Object.entries(CAVS) as [NistCurveName, (typeof CAVS)[NistCurveName]][]) {
  test(`${curve}: CAVS ECC CDH vector: public key and shared X coordinate`, () => {
    const d = fromHex(v.d);
    assert.equal(toHex(nistPublicKey(curve, d)), v.q);
    assert.equal(toHex(nistSharedSecret(curve, d, fromHex(v.peer))), v.z);
  });

  test(`${curve}: secret keys from seeds are valid scalars and deterministic`, () => {
    const seed = new Uint8Array(nistSeedLength(curve)).fill(0xff);
    const a = nistSecretKey(curve, seed);
    assert.deepEqual(nistSecretKey(curve, seed), a);
    assert.equal(nistPublicKey(curve, a)[0], 4);
    assert.throws(() => nistSecretKey(curve, seed.subarray(1)));
  });

  for (const [what, point] of badPoints(curve)) {
    test(`${curve}: peer point refused: ${what}`, () => {
      assert.throws(() => nistSharedSecret(curve, fromHex(v.d), point));
    });
  }
}

function initPayload(q: Uint8Array): Uint8Array {
  return new SshWriter().byte(KEX_ECDH_MSG.INIT).string(q).toBytes();
}

for (const m of METHODS) {
  const method = KEX_METHODS.get(m.name)!;

  test(`${m.name}: registered with ${m.hash}`, () => assert.equal(method.hash, m.hash));

  test(`${m.name}: server side against a node:crypto client: K, H and the signed hash`, () => {
    const inputs = kexInputs();
    const hostKey = recordingHostKey();
    const peer = createECDH(m.openssl);
    const qc = new Uint8Array(peer.generateKeys());
    const { send, result } = method.server(inputs, hostKey).handle(initPayload(qc));
    assert.equal(send.length, 1);
    const r = new SshReader(send[0]);
    assert.equal(r.byte(), KEX_ECDH_MSG.REPLY);
    assert.deepEqual(r.bytes(), hostKey.blob);
    const qs = r.bytes().slice();
    r.bytes();
    r.end();
    assert.equal(qs[0], 4, 'Q_S is an uncompressed point');
    const k = mpintOf(new Uint8Array(peer.computeSecret(qs)));
    assert.deepEqual(result?.sharedSecret, k);
    const fields = new SshWriter().string(qc).string(qs).toBytes();
    const h = expectedExchangeHash(m.hash, inputs, hostKey.blob, fields, k);
    assert.deepEqual(result?.exchangeHash, h);
    assert.deepEqual(hostKey.signed, [h]);
  });

  test(`${m.name}: client side against a node:crypto server: K and H`, () => {
    const inputs = kexInputs();
    const client = method.client(inputs);
    const [init] = client.start();
    const r = new SshReader(init);
    assert.equal(r.byte(), KEX_ECDH_MSG.INIT);
    const qc = r.bytes().slice();
    r.end();
    const peer = createECDH(m.openssl);
    const qs = new Uint8Array(peer.generateKeys());
    const k = mpintOf(new Uint8Array(peer.computeSecret(qc)));
    const hostKey = recordingHostKey();
    const reply = new SshWriter().byte(KEX_ECDH_MSG.REPLY).string(hostKey.blob).string(qs).string('sig').toBytes();
    const { send, result } = client.handle(reply);
    assert.deepEqual(send, []);
    assert.deepEqual(result?.sharedSecret, k);
    const h = expectedExchangeHash(m.hash, inputs, hostKey.blob, new SshWriter().string(qc).string(qs).toBytes(), k);
    assert.deepEqual(result?.exchangeHash, h);
    assert.deepEqual(result?.hostKeyBlob, hostKey.blob);
    assert.equal(new TextDecoder().decode(result?.signature), 'sig');
  });

  for (const [what, point] of badPoints(m.curve)) {
    test(`${m.name}: Q_C ${what}: KexError on the server`, () => {
      const server = method.server(kexInputs(), recordingHostKey());
      assert.throws(() => server.handle(initPayload(point)), KexError);
    });
    test(`${m.name}: Q_S ${what}: KexError on the client`, () => {
      const client = method.client(kexInputs());
      client.start();
      const reply = new SshWriter().byte(KEX_ECDH_MSG.REPLY).string('K_S').string(point).string('sig').toBytes();
      assert.throws(() => client.handle(reply), KexError);
    });
  }

  test(`${m.name}: trailing bytes and wrong message numbers are protocol errors`, () => {
    const q = fromHex(CAVS[m.curve].peer);
    const server = method.server(kexInputs(), recordingHostKey());
    assert.throws(() => server.handle(Uint8Array.of(...initPayload(q), 0)), DecodeError);
    assert.throws(() => server.handle(new SshWriter().byte(KEX_ECDH_MSG.REPLY).string(q).toBytes()), ProtocolError);
    const client = method.client(kexInputs());
    client.start();
    const reply = new SshWriter().byte(KEX_ECDH_MSG.REPLY).string('K_S').string(q).string('sig').byte(0).toBytes();
    assert.throws(() => client.handle(reply), DecodeError);
    assert.throws(() => client.handle(initPayload(q)), ProtocolError);
  });
}
