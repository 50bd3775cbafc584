import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { poly1305Mac, poly1305MacParts, type Poly1305Backend } from '@tssh/ssh-protocol/crypto';
import { chachaOpener, chachaSealer, type ChachaPolyBackends } from '@tssh/ssh-protocol/transport';
import { concatBytes, fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';

const BACKENDS: readonly Poly1305Backend[] = ['wasm', 'noble'];
const hex = (s: string): Uint8Array => fromHex(s.replace(/\s+/g, ''));

/** Deterministic bytes (xorshift32), so that a failing length or split can be replayed. */
function pseudoRandom(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
}

const IETF_TEXT =
  'Any submission to the IETF intended by the Contributor for publication as all or part of an IETF ' +
  'Internet-Draft or RFC and any statement made within the context of an IETF activity is considered an ' +
  '"IETF Contribution". Such statements include oral statements in IETF sessions, as well as written and ' +
  'electronic communications made at any time or place, which are addressed to';
const JABBERWOCKY =
  "'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\n" +
  'All mimsy were the borogoves,\nAnd the mome raths outgrabe.';

// [name, key, message, tag]: RFC 8439 §2.5.2 and Appendix A.3 #1-#11 (#5-#11 exercise the final reduction).
const VECTORS: readonly [string, Uint8Array, Uint8Array, string][] = [
  [
    '§2.5.2',
    hex('85d6be7857556d337f4452fe42d506a8 0103808afb0db2fd4abff6af4149f51b'),
    utf8('Cryptographic Forum Research Group'),
    'a8061dc1305136c6c22b8baf0c0127a9',
  ],
  ['A.3 #1', new Uint8Array(32), new Uint8Array(64), '00000000000000000000000000000000'],
  [
    'A.3 #2 (r = 0)',
    hex('00000000000000000000000000000000 36e5f6b5c5e06070f0efca96227a863e'),
    utf8(IETF_TEXT),
    '36e5f6b5c5e06070f0efca96227a863e',
  ],
  [
    'A.3 #3 (s = 0)',
    hex('36e5f6b5c5e06070f0efca96227a863e 00000000000000000000000000000000'),
    utf8(IETF_TEXT),
    'f3477e7cd95417af89a6b8794c310cf0',
  ],
  [
    'A.3 #4',
    hex('1c9240a5eb55d38af333888604f6b5f0 473917c1402b80099dca5cbc207075c0'),
    utf8(JABBERWOCKY),
    '4541669a7eaaee61e708dc7cbcc5eb62',
  ],
  [
    'A.3 #5 (partially reduced result not fully reduced)',
    hex('02000000000000000000000000000000 00000000000000000000000000000000'),
    hex('ffffffffffffffffffffffffffffffff'),
    '03000000000000000000000000000000',
  ],
  [
    'A.3 #6 (adding s overflows 2^128)',
    hex('02000000000000000000000000000000 ffffffffffffffffffffffffffffffff'),
    hex('02000000000000000000000000000000'),
    '03000000000000000000000000000000',
  ],
  [
    'A.3 #7 (all-ones limb with a carry from below)',
    hex('01000000000000000000000000000000 00000000000000000000000000000000'),
    hex('ffffffffffffffffffffffffffffffff f0ffffffffffffffffffffffffffffff 11000000000000000000000000000000'),
    '05000000000000000000000000000000',
  ],
  [
    'A.3 #8 (result exactly 2^130 - 5)',
    hex('01000000000000000000000000000000 00000000000000000000000000000000'),
    hex('ffffffffffffffffffffffffffffffff fbfefefefefefefefefefefefefefefe 01010101010101010101010101010101'),
    '00000000000000000000000000000000',
  ],
  [
    'A.3 #9 (result exactly 2^130 - 6)',
    hex('02000000000000000000000000000000 00000000000000000000000000000000'),
    hex('fdffffffffffffffffffffffffffffff'),
    'faffffffffffffffffffffffffffffff',
  ],
  [
    'A.3 #10 (5*H+L reduction gives a 131-bit intermediate)',
    hex('01000000000000000400000000000000 00000000000000000000000000000000'),
    hex(
      'e33594d7505e43b90000000000000000 3394d7505e4379cd0100000000000000' +
        '00000000000000000000000000000000 01000000000000000000000000000000',
    ),
    '14000000000000005500000000000000',
  ],
  [
    'A.3 #11 (5*H+L reduction gives a 131-bit final result)',
    hex('01000000000000000400000000000000 00000000000000000000000000000000'),
    hex('e33594d7505e43b90000000000000000 3394d7505e4379cd0100000000000000 00000000000000000000000000000000'),
    '13000000000000000000000000000000',
  ],
];

test('RFC 8439 A.3 texts have the lengths of the RFC hex dumps', () => {
  assert.equal(utf8(IETF_TEXT).length, 375);
  assert.equal(utf8(JABBERWOCKY).length, 127);
});

for (const backend of BACKENDS) {
  for (const [name, key, message, tag] of VECTORS) {
    test(`Poly1305 RFC 8439 ${name}, ${backend}`, () => {
      assert.equal(toHex(poly1305Mac(key, message, backend)), tag);
      // The same message in pieces, split inside a block, on a block edge, and with an empty part.
      for (const cut of [0, 1, 15, 16, 17, message.length]) {
        if (cut > message.length) continue;
        const parts = [message.subarray(0, cut), new Uint8Array(0), message.subarray(cut)];
        assert.equal(toHex(poly1305MacParts(key, parts, backend)), tag, `cut at ${cut}`);
      }
    });
  }
  test(`Poly1305 rejects a key that is not 32 bytes, ${backend}`, () => {
    assert.throws(() => poly1305Mac(new Uint8Array(31), new Uint8Array(1), backend), RangeError);
    assert.throws(() => poly1305MacParts(new Uint8Array(33), [], backend), RangeError);
  });
}

test('Poly1305 wasm equals noble for every length 0..1000', () => {
  const rand = pseudoRandom(0x5eed);
  for (let n = 0; n <= 1000; n++) {
    const key = rand(32);
    const msg = rand(n);
    assert.equal(toHex(poly1305Mac(key, msg, 'wasm')), toHex(poly1305Mac(key, msg, 'noble')), `length ${n}`);
  }
});

test('Poly1305 wasm equals noble on extreme limbs (all-ones keys and messages)', () => {
  const ones = (n: number) => new Uint8Array(n).fill(0xff);
  for (let n = 0; n <= 300; n++) {
    for (const key of [ones(32), new Uint8Array(32).fill(0xff, 0, 16), new Uint8Array(32).fill(0xff, 16)]) {
      assert.equal(toHex(poly1305Mac(key, ones(n), 'wasm')), toHex(poly1305Mac(key, ones(n), 'noble')), `length ${n}`);
    }
  }
});

test('Poly1305 wasm equals noble on large messages, whole and in parts straddling its buffer', () => {
  const rand = pseudoRandom(0xb16);
  // The module's buffer holds 326,656 bytes: these lengths cross it once, exactly, and several times.
  for (const n of [32 * 1024 + 4, 65536, 326656 - 1, 326656, 326656 + 1, 326656 + 15, 2 * 326656 + 17, 1 << 20]) {
    const key = rand(32);
    const msg = rand(n);
    const want = toHex(poly1305Mac(key, msg, 'noble'));
    assert.equal(toHex(poly1305Mac(key, msg, 'wasm')), want, `length ${n}`);
    const cuts = [0, 3, 4097, Math.floor(n / 2) + 5, n - 1, n].sort((a, b) => a - b);
    const parts = cuts.slice(1).map((c, i) => msg.subarray(cuts[i], c));
    assert.equal(toHex(poly1305MacParts(key, parts, 'wasm')), want, `length ${n} in parts`);
  }
});

test('Poly1305 wasm: a tag depends on every byte, and one call does not leak into the next', () => {
  const rand = pseudoRandom(7);
  const key = rand(32);
  const msg = rand(100);
  const tag = toHex(poly1305Mac(key, msg));
  for (let i = 0; i < msg.length; i++) {
    const bad = msg.slice();
    bad[i] ^= 1;
    assert.notEqual(toHex(poly1305Mac(key, bad)), tag, `byte ${i}`);
  }
  poly1305Mac(rand(32), rand(5000));
  assert.equal(toHex(poly1305Mac(key, msg)), tag);
});

const CHACHA = ['node', 'wasm', 'noble'] as const;
const COMBOS: readonly ChachaPolyBackends[] = CHACHA.flatMap((chacha) =>
  CHACHA.flatMap((header) => BACKENDS.map((poly) => ({ chacha, header, poly }))),
);

test('chacha20-poly1305@openssh.com: every backend combination seals alike and opens the others', () => {
  const rand = pseudoRandom(99);
  const key = rand(64);
  for (const body of [12, 1000, 32 * 1024, 256 * 1024]) {
    const packet = new Uint8Array(4 + body);
    new DataView(packet.buffer).setUint32(0, body);
    packet.set(rand(body), 4);
    const sealed = COMBOS.map((b) => toHex(concatBytes(...chachaSealer(key, b).seal(body, packet))));
    for (const s of sealed) assert.equal(s, sealed[0], `body ${body}`);
    const wire = fromHex(sealed[0]);
    for (const b of COMBOS) {
      const opener = chachaOpener(key, b);
      const label = `${b.chacha}/${b.header}/${b.poly}, body ${body}`;
      assert.equal(opener.packetLength(body, wire.subarray(0, 4)), body, label);
      assert.equal(toHex(opener.open(body, wire)), toHex(packet.subarray(4)), label);
    }
  }
});

test('the committed WebAssembly module equals a fresh build from its source', async () => {
  const root = new URL('../../../', import.meta.url);
  const build = await import(new URL('scripts/build-wasm.mjs', root).href);
  assert.ok(build.MODULES.length > 0);
  for (const mod of build.MODULES) {
    const committed = readFileSync(new URL(`packages/ssh-protocol/src/crypto/${mod.output}`, root), 'utf8');
    assert.equal(committed, build.generate(mod), `${mod.output} is stale: run node scripts/build-wasm.mjs`);
  }
});

// Inputs from 512 bytes on go through the module's four-lane path ($simd in wasm/poly1305.wat) for whole 64-byte
// rounds and through the one-block path for the rest: these lengths cross both edges, with fresh random keys.
test('Poly1305 wasm equals noble around its four-lane threshold and 32 KiB packets', () => {
  const rand = pseudoRandom(0x4c4e);
  const lengths = new Set<number>();
  for (let n = 440; n <= 640; n++) lengths.add(n);
  for (let d = -64; d <= 64; d++) lengths.add(32 * 1024 + d);
  for (let d = -31; d <= 31; d++) lengths.add(32 * 1024 + 4 + d);
  for (let i = 0; i < 100; i++) lengths.add(512 + ((rand(2)[0] << 8) | rand(2)[1]) % 20000);
  for (const n of lengths) {
    const key = rand(32);
    const msg = rand(n);
    assert.equal(toHex(poly1305Mac(key, msg, 'wasm')), toHex(poly1305Mac(key, msg, 'noble')), `length ${n}`);
  }
});

test('Poly1305 wasm equals noble on extreme limbs in the four-lane path', () => {
  const rand = pseudoRandom(0xff);
  const ones = (n: number) => new Uint8Array(n).fill(0xff);
  // r with every unclamped bit set (its limbs and powers near their bounds), s all ones, random and all-ones keys
  const keys = [ones(32), new Uint8Array(32).fill(0xff, 0, 16), rand(32), rand(32)];
  for (const n of [512, 513, 575, 576, 1024, 1040, 4096 + 15, 32 * 1024, 32 * 1024 + 4]) {
    for (const key of keys) {
      for (const msg of [ones(n), rand(n), new Uint8Array(n)]) {
        assert.equal(toHex(poly1305Mac(key, msg, 'wasm')), toHex(poly1305Mac(key, msg, 'noble')), `length ${n}`);
      }
    }
  }
});

test('Poly1305 wasm: four-lane inputs in parts and one call after another leave no state behind', () => {
  const rand = pseudoRandom(0x5a5a);
  for (let i = 0; i < 60; i++) {
    const n = 500 + ((rand(1)[0] << 7) ^ rand(1)[0]) * 3;
    const key = rand(32);
    const msg = rand(n);
    const want = toHex(poly1305Mac(key, msg, 'noble'));
    const cut = rand(1)[0] % (n + 1);
    const cut2 = cut + ((rand(1)[0] * 7) % (n - cut + 1));
    const parts = [msg.subarray(0, cut), msg.subarray(cut, cut2), msg.subarray(cut2)];
    assert.equal(toHex(poly1305MacParts(key, parts, 'wasm')), want, `length ${n} cut ${cut}/${cut2}`);
    // a short message right after a long one, same key and another key
    const short = rand(i % 40);
    assert.equal(toHex(poly1305Mac(key, short, 'wasm')), toHex(poly1305Mac(key, short, 'noble')), `short after ${n}`);
  }
});
