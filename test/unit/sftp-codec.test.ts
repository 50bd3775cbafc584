import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FXP,
  SFTP_MAX_PACKET_LENGTH,
  SftpFramer,
  SftpFramingError,
  decodeLimitsReply,
  decodeRequest,
  decodeResponse,
  decodeStatVfsReply,
  decodeUsersGroupsReply,
  encodeLimitsReply,
  encodeRequest,
  encodeResponse,
  encodeStatVfsReply,
  encodeUsersGroupsReply,
  readAttrs,
  writeAttrs,
  type SftpAttrs,
  type SftpRequest,
  type SftpResponse,
} from '@tssh/ssh-protocol/sftp';
import { DecodeError, SshReader, SshWriter, concatBytes, fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';

const h = (s: string): Uint8Array => utf8(s);
const FULL: SftpAttrs = {
  size: 2 ** 40 + 5,
  owner: { uid: 1000, gid: 100 },
  permissions: 0o100644,
  times: { atime: 1_700_000_000, mtime: 0xffffffff },
  extended: [{ type: 'acl@example.com', data: fromHex('0102') }],
};

const REQUESTS: SftpRequest[] = [
  { kind: 'init', version: 3, extensions: [] },
  { kind: 'init', version: 3, extensions: [{ name: 'x@example.com', data: '1' }] },
  { kind: 'open', id: 1, path: '/tmp/a file ü', pflags: 0x3f, attrs: { permissions: 0o600 } },
  { kind: 'close', id: 2, handle: h('7') },
  { kind: 'read', id: 3, handle: h('7'), offset: 2 ** 33, length: 32768 },
  { kind: 'write', id: 4, handle: h('7'), offset: 0, data: fromHex('00ff00ff') },
  { kind: 'lstat', id: 5, path: 'rel/path' },
  { kind: 'fstat', id: 6, handle: h('9') },
  { kind: 'setstat', id: 7, path: '/x', attrs: FULL },
  { kind: 'fsetstat', id: 8, handle: h('9'), attrs: { size: 0 } },
  { kind: 'opendir', id: 9, path: '.' },
  { kind: 'readdir', id: 10, handle: h('1') },
  { kind: 'remove', id: 11, path: 'gone' },
  { kind: 'mkdir', id: 12, path: 'd', attrs: {} },
  { kind: 'rmdir', id: 13, path: 'd' },
  { kind: 'realpath', id: 14, path: '' },
  { kind: 'stat', id: 15, path: '/' },
  { kind: 'rename', id: 16, oldPath: 'a', newPath: 'b' },
  { kind: 'readlink', id: 17, path: 'l' },
  { kind: 'symlink', id: 18, target: 'target', link: 'link' },
  { kind: 'extended', id: 19, request: { kind: 'posix-rename@openssh.com', oldPath: 'a', newPath: 'b' } },
  { kind: 'extended', id: 20, request: { kind: 'statvfs@openssh.com', path: '/' } },
  { kind: 'extended', id: 21, request: { kind: 'fstatvfs@openssh.com', handle: h('3') } },
  { kind: 'extended', id: 22, request: { kind: 'hardlink@openssh.com', oldPath: 'a', newPath: 'b' } },
  { kind: 'extended', id: 23, request: { kind: 'fsync@openssh.com', handle: h('3') } },
  { kind: 'extended', id: 24, request: { kind: 'lsetstat@openssh.com', path: 'l', attrs: { times: { atime: 1, mtime: 2 } } } },
  { kind: 'extended', id: 25, request: { kind: 'limits@openssh.com' } },
  { kind: 'extended', id: 26, request: { kind: 'expand-path@openssh.com', path: '~/x' } },
  {
    kind: 'extended',
    id: 27,
    request: { kind: 'copy-data', readHandle: h('1'), readOffset: 10, length: 0, writeHandle: h('2'), writeOffset: 20 },
  },
  { kind: 'extended', id: 28, request: { kind: 'home-directory', username: '' } },
  { kind: 'extended', id: 29, request: { kind: 'users-groups-by-id@openssh.com', uids: [0, 1000], gids: [] } },
  { kind: 'extended', id: 30, request: { kind: 'unknown', name: 'vendor@example.com', data: fromHex('deadbeef') } },
];

const RESPONSES: SftpResponse[] = [
  { kind: 'version', version: 3, extensions: [{ name: 'posix-rename@openssh.com', data: '1' }] },
  { kind: 'status', id: 1, code: 2, message: 'No such file', language: '' },
  { kind: 'handle', id: 2, handle: h('12') },
  { kind: 'data', id: 3, data: new Uint8Array(1000).fill(7) },
  { kind: 'name', id: 4, names: [] },
  {
    kind: 'name',
    id: 5,
    names: [
      { filename: 'a', longname: '-rw-r--r--    1 alice    staff           3 Jan  1 00:00 a', attrs: FULL },
      { filename: 'b', longname: 'b', attrs: {} },
    ],
  },
  { kind: 'attrs', id: 6, attrs: FULL },
  { kind: 'extended-reply', id: 7, data: fromHex('0001') },
];

const payloadOf = (packet: Uint8Array): Uint8Array => {
  const f = new SftpFramer();
  f.push(packet);
  const p = f.next();
  assert.ok(p, 'a whole packet');
  assert.equal(f.buffered, 0);
  return p;
};

for (const [i, m] of REQUESTS.entries()) {
  const label = `${i}: ${m.kind === 'extended' ? `extended ${m.request.kind}` : m.kind}`;
  test(`request ${label} round trip`, () => {
    const packet = encodeRequest(m);
    assert.equal(new DataView(packet.buffer).getUint32(0), packet.length - 4);
    assert.deepEqual(decodeRequest(payloadOf(packet)), m);
  });
  const takesRest = m.kind === 'init' || (m.kind === 'extended' && m.request.kind === 'unknown');
  if (takesRest) continue;
  test(`request ${label}: trailing byte and every truncation refused`, () => {
    const p = payloadOf(encodeRequest(m));
    assert.throws(() => decodeRequest(concatBytes(p, new Uint8Array(1))), DecodeError);
    for (let n = 0; n < p.length; n++) assert.throws(() => decodeRequest(p.subarray(0, n)), DecodeError, `prefix ${n}`);
  });
}

for (const m of RESPONSES) {
  test(`response ${m.kind} round trip`, () => assert.deepEqual(decodeResponse(payloadOf(encodeResponse(m))), m));
  if (m.kind === 'version' || m.kind === 'extended-reply') continue;
  test(`response ${m.kind}: trailing byte and every truncation refused`, () => {
    const p = payloadOf(encodeResponse(m));
    assert.throws(() => decodeResponse(concatBytes(p, new Uint8Array(1))), DecodeError);
    for (let n = 0; n < p.length; n++) assert.throws(() => decodeResponse(p.subarray(0, n)), DecodeError, `prefix ${n}`);
  });
}

test('wire layouts: INIT, OPEN, STATUS, and SYMLINK in OpenSSH order (PROTOCOL §4.1)', () => {
  assert.equal(toHex(encodeRequest({ kind: 'init', version: 3, extensions: [] })), '000000050100000003');
  assert.equal(
    toHex(encodeRequest({ kind: 'open', id: 1, path: 'a', pflags: 0x1a, attrs: { permissions: 0o644 } })),
    '00000016' + '03' + '00000001' + '0000000161' + '0000001a' + '00000004' + '000001a4',
  );
  assert.equal(
    toHex(encodeResponse({ kind: 'status', id: 9, code: 1, message: 'End of file', language: '' })),
    '0000001c' + '65' + '00000009' + '00000001' + '0000000b' + toHex(utf8('End of file')) + '00000000',
  );
  assert.equal(
    toHex(encodeRequest({ kind: 'symlink', id: 2, target: 'T', link: 'L' })),
    '0000000f' + '14' + '00000002' + '0000000154' + '000000014c',
  );
});

test('ATTRS: flags say which fields follow, in §5 order', () => {
  const w = new SshWriter();
  writeAttrs(w, FULL);
  assert.equal(
    toHex(w.toBytes()),
    '8000000f' + '0000010000000005' + '000003e8' + '00000064' + '000081a4' + '6553f100' + 'ffffffff' +
      '00000001' + '0000000f' + toHex(utf8('acl@example.com')) + '000000020102',
  );
  assert.deepEqual(readAttrs(new SshReader(w.toBytes())), FULL);
  assert.equal(toHex(new SshWriter().u32(0).toBytes()), '00000000');
  assert.deepEqual(readAttrs(new SshReader(fromHex('00000000'))), {});
});

test('ATTRS: unknown flag bits, lying extended counts and oversized sizes are refused', () => {
  assert.throws(() => readAttrs(new SshReader(fromHex('00000010'))), /unknown bits/);
  assert.throws(() => readAttrs(new SshReader(fromHex('80000000ffffffff'))), /extended pairs/);
  assert.throws(() => readAttrs(new SshReader(fromHex('00000001ffffffffffffffff'))), /too large/);
});

test('unknown packet types are decode errors in both directions', () => {
  assert.throws(() => decodeRequest(fromHex('6500000001')), /not a request/);
  assert.throws(() => decodeRequest(fromHex('fe00000001')), /not a request/);
  assert.throws(() => decodeResponse(fromHex('0300000001')), /not a response/);
  assert.throws(() => decodeRequest(new Uint8Array(0)), DecodeError);
});

test('invalid UTF-8 in a path and an id list of odd length are refused', () => {
  assert.throws(() => decodeRequest(fromHex('11 00000001 00000001 ff')), /UTF-8/);
  const bad = new SshWriter().byte(FXP.EXTENDED).u32(1).string('users-groups-by-id@openssh.com');
  bad.string(fromHex('000000')).string(new Uint8Array(0));
  assert.throws(() => decodeRequest(bad.toBytes()), /not a list of uint32/);
});

test('extended replies: statvfs, limits, users-groups-by-id round trip and refuse trailing bytes', () => {
  const sv = { bsize: 4096n, frsize: 4096n, blocks: 2n ** 60n, bfree: 1n, bavail: 1n, files: 9n, ffree: 8n, favail: 7n, fsid: 2n ** 64n - 1n, flag: 3n, namemax: 255n };
  assert.equal(encodeStatVfsReply(sv).length, 88);
  assert.deepEqual(decodeStatVfsReply(encodeStatVfsReply(sv)), sv);
  assert.throws(() => decodeStatVfsReply(concatBytes(encodeStatVfsReply(sv), new Uint8Array(1))), DecodeError);
  const l = { maxPacketLength: 262144, maxReadLength: 261120, maxWriteLength: 261120, maxOpenHandles: 512 };
  assert.equal(toHex(encodeLimitsReply(l)).slice(0, 16), '0000000000040000');
  assert.deepEqual(decodeLimitsReply(encodeLimitsReply(l)), l);
  const ug = { users: ['root', '', 'ünï'], groups: [] };
  assert.deepEqual(decodeUsersGroupsReply(encodeUsersGroupsReply(ug)), ug);
  assert.throws(() => decodeUsersGroupsReply(encodeUsersGroupsReply(ug).subarray(1)), DecodeError);
});

test('framer: byte-by-byte and coalesced input give the same packets', () => {
  const packets = REQUESTS.map(encodeRequest);
  const all = concatBytes(...packets);
  const one = new SftpFramer();
  const got: string[] = [];
  for (const b of all) {
    one.push(Uint8Array.of(b));
    for (let p = one.next(); p; p = one.next()) got.push(toHex(p));
  }
  const two = new SftpFramer();
  two.push(all);
  const bulk: string[] = [];
  for (let p = two.next(); p; p = two.next()) bulk.push(toHex(p));
  assert.deepEqual(got, bulk);
  assert.deepEqual(got, packets.map((p) => toHex(p.subarray(4))));
});

test('framer: a packet of SFTP_MAX_PACKET_LENGTH passes, one byte more is refused before it is buffered', () => {
  const max = new SftpFramer();
  max.push(fromHex('00040000'));
  assert.equal(max.next(), undefined); // waiting for the body
  max.push(new Uint8Array(SFTP_MAX_PACKET_LENGTH));
  assert.equal(max.next()?.length, SFTP_MAX_PACKET_LENGTH);
  const over = new SftpFramer();
  over.push(fromHex('00040001'));
  assert.throws(() => over.next(), (e: unknown) => e instanceof SftpFramingError && /exceeds the maximum of 262144/.test(e.message));
  const zero = new SftpFramer();
  zero.push(fromHex('00000000'));
  assert.throws(() => zero.next(), SftpFramingError);
});
