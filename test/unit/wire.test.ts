import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError, SshReader, SshWriter, encodeMpint, fromHex, toHex } from '@tssh/ssh-protocol/wire';

// RFC 4251 §5 mpint examples.
const MPINTS: ReadonlyArray<readonly [bigint, string]> = [
  [0n, '00000000'],
  [0x9a378f9b2e332a7n, '0000000809a378f9b2e332a7'],
  [0x80n, '000000020080'],
  [-0x1234n, '00000002edcc'],
  [-0xdeadbeefn, '00000005ff21524111'],
  [-1n, '00000001ff'],
];

for (const [value, hex] of MPINTS) {
  test(`mpint ${value} encodes as RFC 4251 says`, () => assert.equal(toHex(encodeMpint(value)), hex));
  test(`mpint ${value} decodes`, () => {
    const r = new SshReader(fromHex(hex));
    assert.equal(r.mpint(), value);
    r.end();
  });
}

test('mpint with a needless leading zero is refused', () => {
  assert.throws(() => new SshReader(fromHex('000000020001')).mpint(), DecodeError);
  assert.throws(() => new SshReader(fromHex('00000002ff80')).mpint(), DecodeError);
});

test('mpintFromUnsigned matches mpint of the same value', () => {
  for (const hex of ['00', '7f', '80', '0080', 'ff01', '000000ff']) {
    const b = fromHex(hex);
    const v = BigInt('0x' + hex);
    assert.equal(toHex(new SshWriter().mpintFromUnsigned(b).toBytes()), toHex(encodeMpint(v)));
  }
});

test('uint32, string, boolean, name-list round trip', () => {
  const w = new SshWriter(1).u32(0xdeadbeef).string('héllo').boolean(true).nameList(['a', 'b@c']).u64(1n << 40n);
  const r = new SshReader(w.toBytes());
  assert.equal(r.u32(), 0xdeadbeef);
  assert.equal(r.string(), 'héllo');
  assert.equal(r.boolean(), true);
  assert.deepEqual(r.nameList(), ['a', 'b@c']);
  assert.equal(r.u64(), 1n << 40n);
  r.end();
});

test('truncated input is a DecodeError', () => {
  assert.throws(() => new SshReader(fromHex('000000')).u32(), DecodeError);
  assert.throws(() => new SshReader(fromHex('00000005616263')).bytes(), DecodeError);
  assert.throws(() => new SshReader(fromHex('ffffffff')).bytes(), DecodeError);
});

test('trailing bytes are a DecodeError at end()', () => {
  const r = new SshReader(fromHex('0000000100'));
  r.u32();
  assert.throws(() => r.end(), DecodeError);
});

test('name-list with an empty name or a control byte is refused', () => {
  assert.throws(() => new SshReader(new SshWriter().string('a,,b').toBytes()).nameList(), DecodeError);
  assert.throws(() => new SshReader(new SshWriter().string('a\nb').toBytes()).nameList(), DecodeError);
  assert.deepEqual(new SshReader(new SshWriter().string('').toBytes()).nameList(), []);
});

test('invalid UTF-8 in a string is refused', () => {
  assert.throws(() => new SshReader(fromHex('00000001ff')).string(), DecodeError);
});

test('bytes read from a Node Buffer and copied with slice() are a copy, not a view of the input', () => {
  const input = Buffer.from(new SshWriter().string(new Uint8Array([1, 2, 3])).toBytes());
  const copy = new SshReader(input).bytes().slice();
  input.fill(0);
  assert.deepEqual([...copy], [1, 2, 3]);
});
