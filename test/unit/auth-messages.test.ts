import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_KBDINT_PROMPTS,
  decodeInfoRequest,
  decodeInfoResponse,
  decodePasswdChangereq,
  decodeUserauth60,
  decodeUserauthBanner,
  decodeUserauthFailure,
  decodeUserauthPkOk,
  decodeUserauthRequest,
  decodeUserauthSuccess,
  encodeInfoRequest,
  encodeInfoResponse,
  encodePasswdChangereq,
  encodeUserauthBanner,
  encodeUserauthFailure,
  encodeUserauthPkOk,
  encodeUserauthRequest,
  encodeUserauthSuccess,
  publickeySignedData,
  type UserauthRequest,
} from '@tssh/ssh-protocol/auth';
import { DecodeError, MSG, SshWriter, concatBytes, fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';

const BLOB = fromHex('0000000b7373682d6564323535313900000020654264bca53d6a513b19769992e11df46a7cbf9afd59bf73aaaf7bb34cdcfea3');
const SIG = new SshWriter().string('ssh-ed25519').string(new Uint8Array(64).fill(7)).toBytes();
const base = { user: 'alice', service: 'ssh-connection' };

const REQUESTS: ReadonlyArray<readonly [string, UserauthRequest]> = [
  ['none', { ...base, method: 'none' }],
  ['publickey query', { ...base, method: 'publickey', algorithm: 'ssh-ed25519', blob: BLOB }],
  ['publickey signed', { ...base, method: 'publickey', algorithm: 'ssh-ed25519', blob: BLOB, signature: SIG }],
  ['password', { ...base, method: 'password', password: 'pä$$' }],
  ['password change', { ...base, method: 'password', password: 'old', newPassword: 'new' }],
  ['keyboard-interactive', { ...base, method: 'keyboard-interactive', language: 'en', submethods: 'pam,bsdauth' }],
  [
    'hostbased',
    {
      ...base,
      method: 'hostbased',
      algorithm: 'ssh-ed25519',
      blob: BLOB,
      hostname: 'client.example.',
      hostUser: 'bob',
      signature: SIG,
    },
  ],
  ['unknown', { ...base, method: 'unknown', name: 'gssapi-with-mic', data: fromHex('00000001000000020102') }],
];

/** Every strict prefix of a valid message must be refused as truncated. */
function assertAllPrefixesFail(encoded: Uint8Array, decode: (p: Uint8Array) => unknown, allowed = new Set<number>()) {
  for (let n = 0; n < encoded.length; n++) {
    if (allowed.has(n)) continue;
    assert.throws(() => decode(encoded.subarray(0, n)), DecodeError, `prefix of ${n} bytes`);
  }
}

for (const [label, req] of REQUESTS) {
  test(`USERAUTH_REQUEST ${label}: round trip`, () => {
    const bytes = encodeUserauthRequest(req);
    assert.equal(bytes[0], MSG.USERAUTH_REQUEST);
    assert.deepEqual(decodeUserauthRequest(bytes), req);
  });
  if (req.method === 'unknown') continue; // its body is opaque: any prefix past the name is a valid message
  test(`USERAUTH_REQUEST ${label}: truncated and trailing bytes refused`, () => {
    const bytes = encodeUserauthRequest(req);
    assertAllPrefixesFail(bytes, decodeUserauthRequest);
    assert.throws(() => decodeUserauthRequest(concatBytes(bytes, Uint8Array.of(0))), /trailing/);
  });
}

test('USERAUTH_REQUEST none has the RFC 4252 §5 layout', () => {
  const hex = toHex(encodeUserauthRequest({ user: 'u', service: 'ssh-connection', method: 'none' }));
  assert.equal(hex, '32' + '0000000175' + '0000000e' + toHex(Buffer.from('ssh-connection')) + '000000046e6f6e65');
});

test('USERAUTH_REQUEST: unknown method keeps its name; known names cannot pose as unknown', () => {
  const bytes = new SshWriter().byte(MSG.USERAUTH_REQUEST).string('a').string('ssh-connection').string('x-y').toBytes();
  assert.deepEqual(decodeUserauthRequest(bytes), { ...base, user: 'a', method: 'unknown', name: 'x-y', data: new Uint8Array(0) });
  assert.throws(() => encodeUserauthRequest({ ...base, method: 'unknown', name: 'password', data: new Uint8Array(0) }), RangeError);
});

test('USERAUTH_REQUEST: wrong message number and bad UTF-8 refused', () => {
  const bytes = encodeUserauthRequest({ ...base, method: 'none' });
  bytes[0] = MSG.USERAUTH_FAILURE;
  assert.throws(() => decodeUserauthRequest(bytes), DecodeError);
  const bad = new SshWriter().byte(MSG.USERAUTH_REQUEST).string(Uint8Array.of(0xff)).string('ssh-connection').string('none');
  assert.throws(() => decodeUserauthRequest(bad.toBytes()), DecodeError);
});

test('publickeySignedData follows RFC 4252 §7', () => {
  const sid = fromHex('0102030405');
  const got = publickeySignedData(sid, 'alice', 'ssh-connection', 'ssh-ed25519', BLOB);
  const want = new SshWriter()
    .string(sid)
    .byte(50)
    .string('alice')
    .string('ssh-connection')
    .string('publickey')
    .byte(1)
    .string('ssh-ed25519')
    .string(BLOB)
    .toBytes();
  assert.equal(toHex(got), toHex(want));
  // It equals the signed request up to the signature, with the session id in front.
  const req = encodeUserauthRequest({ ...base, method: 'publickey', algorithm: 'ssh-ed25519', blob: BLOB, signature: SIG });
  assert.equal(toHex(got), toHex(concatBytes(new SshWriter().string(sid).toBytes(), req.subarray(0, req.length - 4 - SIG.length))));
});

test('USERAUTH_FAILURE: vector, round trip, malformed', () => {
  const bytes = encodeUserauthFailure({ methods: ['publickey', 'password'], partialSuccess: true });
  assert.equal(toHex(bytes), '33' + '00000012' + toHex(Buffer.from('publickey,password')) + '01');
  assert.deepEqual(decodeUserauthFailure(bytes), { methods: ['publickey', 'password'], partialSuccess: true });
  assert.deepEqual(decodeUserauthFailure(encodeUserauthFailure({ methods: [], partialSuccess: false })), {
    methods: [],
    partialSuccess: false,
  });
  assertAllPrefixesFail(bytes, decodeUserauthFailure);
  assert.throws(() => decodeUserauthFailure(concatBytes(bytes, Uint8Array.of(1))), DecodeError);
  assert.throws(() => decodeUserauthFailure(fromHex('33' + '00000002' + '612c' + '00')), DecodeError); // "a,"
});

test('USERAUTH_SUCCESS: one byte, nothing after', () => {
  assert.equal(toHex(encodeUserauthSuccess()), '34');
  decodeUserauthSuccess(encodeUserauthSuccess());
  assert.throws(() => decodeUserauthSuccess(fromHex('3400')), DecodeError);
  assert.throws(() => decodeUserauthSuccess(fromHex('')), DecodeError);
  assert.throws(() => decodeUserauthSuccess(fromHex('33')), DecodeError);
});

test('USERAUTH_BANNER: round trip, malformed', () => {
  const b = { message: 'Authorized use only.\r\n', language: 'en-US' };
  const bytes = encodeUserauthBanner(b);
  assert.equal(bytes[0], MSG.USERAUTH_BANNER);
  assert.deepEqual(decodeUserauthBanner(bytes), { ...b, raw: utf8(b.message) });
  assertAllPrefixesFail(bytes, decodeUserauthBanner);
  assert.throws(() => decodeUserauthBanner(concatBytes(bytes, Uint8Array.of(0))), DecodeError);
});

test('USERAUTH_BANNER in Latin-1: not a protocol error; the bytes are kept as sent', () => {
  const raw = Uint8Array.of(0x48, 0xe9, 0x0a); // "Hé\n" in ISO 8859-1: invalid UTF-8
  const bytes = concatBytes(Uint8Array.of(MSG.USERAUTH_BANNER), fromHex('00000003'), raw, fromHex('00000000'));
  const b = decodeUserauthBanner(bytes);
  assert.deepEqual(b.raw, raw);
  assert.equal(b.message, 'H\ufffd\n');
  assert.equal(b.language, '');
});

test('USERAUTH_PK_OK: round trip, malformed', () => {
  const m = { algorithm: 'rsa-sha2-512', blob: BLOB };
  const bytes = encodeUserauthPkOk(m);
  assert.equal(bytes[0], 60);
  assert.deepEqual(decodeUserauthPkOk(bytes), m);
  assertAllPrefixesFail(bytes, decodeUserauthPkOk);
  assert.throws(() => decodeUserauthPkOk(concatBytes(bytes, Uint8Array.of(0))), DecodeError);
});

test('USERAUTH_PASSWD_CHANGEREQ: round trip, malformed', () => {
  const m = { prompt: 'Password expired', language: '' };
  const bytes = encodePasswdChangereq(m);
  assert.deepEqual(decodePasswdChangereq(bytes), m);
  assertAllPrefixesFail(bytes, decodePasswdChangereq);
  assert.throws(() => decodePasswdChangereq(concatBytes(bytes, Uint8Array.of(0))), DecodeError);
});

const INFO = {
  name: 'Two-factor',
  instruction: 'Answer both.',
  language: '',
  prompts: [
    { prompt: 'Password: ', echo: false },
    { prompt: 'Code: ', echo: true },
  ],
};

test('USERAUTH_INFO_REQUEST: round trip (with and without prompts), malformed', () => {
  const bytes = encodeInfoRequest(INFO);
  assert.equal(bytes[0], MSG.USERAUTH_INFO_REQUEST);
  assert.deepEqual(decodeInfoRequest(bytes), INFO);
  const empty = { name: '', instruction: '', language: '', prompts: [] };
  assert.deepEqual(decodeInfoRequest(encodeInfoRequest(empty)), empty);
  assertAllPrefixesFail(bytes, decodeInfoRequest);
  assert.throws(() => decodeInfoRequest(concatBytes(bytes, Uint8Array.of(0))), DecodeError);
});

test('USERAUTH_INFO_REQUEST: oversized prompt count refused before reading them', () => {
  const w = new SshWriter().byte(MSG.USERAUTH_INFO_REQUEST).string('').string('').string('').u32(0xffffffff);
  assert.throws(() => decodeInfoRequest(w.toBytes()), /prompts/);
  const many = Array.from({ length: MAX_KBDINT_PROMPTS + 1 }, () => ({ prompt: 'p', echo: false }));
  assert.throws(() => encodeInfoRequest({ ...INFO, prompts: many }), RangeError);
});

test('USERAUTH_INFO_RESPONSE: round trip, malformed, oversized', () => {
  const bytes = encodeInfoResponse(['hunter2', '123456']);
  assert.equal(toHex(bytes), '3d' + '00000002' + '00000007' + toHex(Buffer.from('hunter2')) + '00000006' + toHex(Buffer.from('123456')));
  assert.deepEqual(decodeInfoResponse(bytes), ['hunter2', '123456']);
  assert.deepEqual(decodeInfoResponse(encodeInfoResponse([])), []);
  assertAllPrefixesFail(bytes, decodeInfoResponse);
  assert.throws(() => decodeInfoResponse(concatBytes(bytes, Uint8Array.of(0))), DecodeError);
  assert.throws(() => decodeInfoResponse(fromHex('3d00010000')), /responses/);
});

test('message 60 is decoded by the method in progress', () => {
  const pkOk = encodeUserauthPkOk({ algorithm: 'ssh-ed25519', blob: BLOB });
  assert.deepEqual(decodeUserauth60(pkOk, 'publickey'), { kind: 'pk-ok', algorithm: 'ssh-ed25519', blob: BLOB });
  const change = encodePasswdChangereq({ prompt: 'p', language: 'l' });
  assert.deepEqual(decodeUserauth60(change, 'password'), { kind: 'passwd-changereq', prompt: 'p', language: 'l' });
  assert.deepEqual(decodeUserauth60(encodeInfoRequest(INFO), 'keyboard-interactive'), { kind: 'info-request', ...INFO });
  // The same bytes read under the wrong method do not parse.
  assert.throws(() => decodeUserauth60(pkOk, 'keyboard-interactive'), DecodeError);
  assert.throws(() => decodeUserauth60(encodeInfoRequest(INFO), 'publickey'), DecodeError);
});
