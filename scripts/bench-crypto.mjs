#!/usr/bin/env node
// Micro-benchmark of the bulk crypto behind the packet ciphers (not a test). Build first (`tsc -b`).
// Prints MB/s per primitive over 32 KiB messages, and per-packet cost of the packet sealers/openers
// (chacha20-poly1305 rows name their backends: payload ChaCha20 / length ChaCha20 / Poly1305).
// Each figure is the best of many short timed rounds, so that other work on the machine disturbs it less.
// The last section sets node:crypto against @noble/* for every primitive that has both backends (whole calls, key
// imports included): per operation for the curves, per message for the bulk primitives.
// After the aes128-gcm packets: what Node's cipher API adds per packet, against `openssl speed` for the same cipher.
// Usage: node scripts/bench-crypto.mjs [rounds] [--poly1305 | --backends]
//   --poly1305: stop after the primitives; --backends: only the node-against-noble section
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  aesCtr,
  aesCtrStream,
  aesGcmOpen,
  aesGcmSeal,
  chacha20Xor,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  hashWith,
  hmacWith,
  nistPublicKey,
  nistSecretKey,
  nistSeedLength,
  nistSharedSecret,
  NOBLE_AES_CTR,
  NOBLE_AES_GCM,
  NODE_AES_CTR,
  NODE_AES_GCM,
  poly1305Mac,
  x25519PublicKey,
  x25519SharedSecret,
} from '@tssh/ssh-protocol/crypto';
import { aes128Gcm, chachaOpener, chachaSealer } from '@tssh/ssh-protocol/transport';

const SIZE = 32 * 1024;
const ROUNDS = Number(process.argv.find((a) => /^[0-9]+$/.test(a)) ?? 200);
const data = randomBytes(SIZE);
const key16 = new Uint8Array(randomBytes(16));
const key32 = randomBytes(32);
const nonce8 = randomBytes(8);
const nonce12 = randomBytes(12);

/**
 * Time in ns of one call of fn: many short rounds (about 1 ms each), so that a quiet moment is caught. Returns the
 * best round (what the code can do) with the median round (what a busy machine gave) as `median`.
 */
function time(fn) {
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    if (Number(process.hrtime.bigint() - t0) > 1e6) break;
    n *= 2;
  }
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    rounds.push(Number(process.hrtime.bigint() - t0) / n);
  }
  rounds.sort((a, b) => a - b);
  return Object.assign(new Number(rounds[0]), { median: rounds[rounds.length >> 1] });
}

function report(name, bytes, ns) {
  const mbs = (t) => `${((bytes / t) * 1e3).toFixed(0)} MB/s`;
  const median = ns.median === undefined ? '' : `   median ${mbs(ns.median).padStart(11)}`;
  console.log(`${name.padEnd(72)} ${`${(ns / 1e3).toFixed(2)} µs`.padStart(10)} ${mbs(ns).padStart(11)}${median}`);
}

if (process.argv.includes('--backends')) {
  backends();
  process.exit(0);
}
console.log(`32 KiB messages unless named, best of ${ROUNDS} rounds (and the median round), node ${process.version}\n`);
const sealedGcm = aesGcmSeal(key16, nonce12, data.subarray(0, 4), data);
report('AES-128-GCM seal (node)', SIZE, time(() => aesGcmSeal(key16, nonce12, data.subarray(0, 4), data)));
report('AES-128-GCM open (node)', SIZE, time(() => aesGcmOpen(key16, nonce12, data.subarray(0, 4), sealedGcm)));
report('ChaCha20 (node)', SIZE, time(() => chacha20Xor(key32, nonce8, 1, data, 'node')));
report('ChaCha20 (noble)', SIZE, time(() => chacha20Xor(key32, nonce8, 1, data, 'noble')));
report('ChaCha20 (wasm)', SIZE, time(() => chacha20Xor(key32, nonce8, 1, data, 'wasm')));
report('ChaCha20, 4 bytes (node)', 4, time(() => chacha20Xor(key32, nonce8, 0, data.subarray(0, 4), 'node')));
report('ChaCha20, 4 bytes (wasm)', 4, time(() => chacha20Xor(key32, nonce8, 0, data.subarray(0, 4), 'wasm')));
report('Poly1305 (wasm)', SIZE, time(() => poly1305Mac(key32, data, 'wasm')));
report('Poly1305 (noble)', SIZE, time(() => poly1305Mac(key32, data, 'noble')));
for (const n of [64, 1024]) {
  report(`Poly1305, ${n} bytes (wasm)`, n, time(() => poly1305Mac(key32, data.subarray(0, n), 'wasm')));
  report(`Poly1305, ${n} bytes (noble)`, n, time(() => poly1305Mac(key32, data.subarray(0, n), 'noble')));
}
if (process.argv.includes('--poly1305')) process.exit(0);

// Whole packets: 4-byte length + 32 KiB body, as the transport seals them (payload size excludes the length).
const packet = randomBytes(4 + SIZE);
packet.writeUInt32BE(SIZE, 0);
// A receiver first decrypts the length (packetLength), then opens the packet: both count as "open".
function packets(label, sealer, opener) {
  const wire = Buffer.concat(sealer.seal(7, packet)); // seal returns the wire bytes as pieces
  const seal = time((i) => sealer.seal(i, packet));
  const open = time(() => opener.packetLength(7, wire) + opener.open(7, wire).length);
  report(`${label}: seal`, SIZE, seal);
  report(`${label}: packetLength + open`, SIZE, open);
  report(`${label}: seal then open, per byte through both`, SIZE, seal + open);
  report(`${label}: seal and open, all bytes processed`, 2 * SIZE, seal + open);
}
const key64 = randomBytes(64);
for (const b of [
  { chacha: 'node', header: 'wasm', poly: 'wasm' },
  { chacha: 'node', header: 'node', poly: 'wasm' },
  { chacha: 'node', header: 'node', poly: 'noble' },
  { chacha: 'noble', header: 'noble', poly: 'noble' },
]) {
  const name = `chacha20-poly1305 ${b.chacha}/${b.header}/${b.poly}`;
  packets(name, chachaSealer(key64, b), chachaOpener(key64, b));
}
// Plain Uint8Array copies: Buffer.slice() would share memory, and the sealer advances its nonce in place.
const gcmIv = new Uint8Array(randomBytes(12));
// The opener's nonce moves on after every packet, so each timed open gets a fresh opener.
{
  const sealer = aes128Gcm.createSealer(key16, gcmIv);
  const wire = Buffer.concat(aes128Gcm.createSealer(key16, gcmIv).seal(0, packet));
  const seal = time((i) => sealer.seal(i, packet));
  const open = time(() => aes128Gcm.createOpener(key16, gcmIv).open(0, wire));
  report('aes128-gcm@openssh.com: seal', SIZE, seal);
  report('aes128-gcm@openssh.com: open (incl. opener setup)', SIZE, open);
  report('aes128-gcm@openssh.com: seal then open, per byte through both', SIZE, seal + open);
  report('aes128-gcm@openssh.com: seal and open, all bytes processed', 2 * SIZE, seal + open);
  apiCost(seal, open);
}

backends();

/**
 * What Node's cipher API adds to each 32 KiB packet: the same AES-128-GCM measured by `openssl speed`, which calls
 * OpenSSL's EVP interface on one context and one output buffer used again, against our sealer and opener above
 * (a new cipher object per packet, its output allocated twice, once zero-filled, and copied between the two).
 * The open figure also counts making our opener, a few small objects, which a connection makes once.
 */
function apiCost(seal, open) {
  const openssl = (decrypt) => {
    const args = ['speed', ...(decrypt ? ['-decrypt'] : []), '-evp', 'aes-128-gcm', '-bytes', String(SIZE), '-seconds', '1'];
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    const m = /^AES-128-GCM\s+([0-9.]+)k\s*$/m.exec(r.stdout ?? '');
    return m ? (SIZE / (Number(m[1]) * 1e3)) * 1e9 : undefined; // ns per message (speed prints 1000s of bytes/s)
  };
  const raw = { seal: openssl(false), open: openssl(true) };
  if (raw.seal === undefined || raw.open === undefined) {
    console.log('\n(openssl speed not available: no comparison with OpenSSL on its own)');
    return;
  }
  console.log(`\nOpenSSL on its own (openssl speed -evp aes-128-gcm -bytes ${SIZE}), against the packets above:`);
  const perGiB = (ns) => `${((ns * (2 ** 30 / SIZE)) / 1e9).toFixed(2)} s per GiB of ${SIZE / 1024} KiB packets`;
  for (const [what, ours] of [['seal', seal], ['open', open]]) {
    report(`AES-128-GCM ${what === 'seal' ? 'encrypt' : 'decrypt'} (openssl speed)`, SIZE, raw[what]);
    console.log(`  Node's API adds to each ${what}: ${((ours - raw[what]) / 1e3).toFixed(2)} µs, ${perGiB(ours - raw[what])}`);
  }
}

/** Per-operation figures: the best round and the median round, in ms. */
function reportOp(name, ns) {
  const ms = (t) => `${(t / 1e6).toFixed(3)} ms`;
  console.log(`${name.padEnd(72)} ${ms(ns).padStart(10)}   median ${ms(ns.median).padStart(10)}`);
}

/** node:crypto against @noble/* for each primitive with both backends; the faster one is each primitive's default. */
function backends() {
  console.log(`\nnode:crypto against @noble/*: best of ${ROUNDS} rounds (and the median round), node ${process.version}\n`);
  const BOTH = ['node', 'noble'];
  const seed = new Uint8Array(randomBytes(32));
  const peer = x25519PublicKey(new Uint8Array(randomBytes(32)));
  const message = new Uint8Array(randomBytes(32)); // an exchange hash is what a host key signs
  const edPublic = ed25519PublicKey(seed);
  const signature = ed25519Sign(seed, message);
  for (const b of BOTH) {
    reportOp(`X25519 public key (${b})`, time(() => x25519PublicKey(seed, b)));
    reportOp(`X25519 shared secret (${b})`, time(() => x25519SharedSecret(seed, peer, b)));
  }
  for (const b of BOTH) {
    reportOp(`Ed25519 public key (${b})`, time(() => ed25519PublicKey(seed, b)));
    reportOp(`Ed25519 sign 32 bytes (${b})`, time(() => ed25519Sign(seed, message, b)));
    reportOp(`Ed25519 verify 32 bytes (${b})`, time(() => ed25519Verify(edPublic, message, signature, b)));
  }
  for (const curve of ['nistp256', 'nistp384', 'nistp521']) {
    const secret = nistSecretKey(curve, new Uint8Array(randomBytes(nistSeedLength(curve))));
    const other = nistPublicKey(curve, nistSecretKey(curve, new Uint8Array(randomBytes(nistSeedLength(curve)))));
    for (const b of BOTH) {
      reportOp(`ECDH ${curve} public key (${b})`, time(() => nistPublicKey(curve, secret, b)));
      reportOp(`ECDH ${curve} shared secret (${b})`, time(() => nistSharedSecret(curve, secret, other, b)));
    }
  }
  const aad = data.subarray(0, 4);
  for (const n of [SIZE, 1024, 64]) {
    const m = data.subarray(0, n);
    for (const g of [NODE_AES_GCM, NOBLE_AES_GCM]) {
      const sealed = aesGcmSeal(key16, nonce12, aad, m, g);
      report(`AES-128-GCM seal, ${n} bytes (${g.name})`, n, time(() => aesGcmSeal(key16, nonce12, aad, m, g)));
      report(`AES-128-GCM open, ${n} bytes (${g.name})`, n, time(() => aesGcmOpen(key16, nonce12, aad, sealed, g)));
    }
    for (const c of [NODE_AES_CTR, NOBLE_AES_CTR]) {
      const stream = aesCtrStream(key16, new Uint8Array(16), c);
      report(`AES-128-CTR one-shot, ${n} bytes (${c.name})`, n, time(() => aesCtr(key16, new Uint8Array(16), m, c)));
      report(`AES-128-CTR stream update, ${n} bytes (${c.name})`, n, time(() => stream.update(m)));
    }
    for (const name of ['sha256', 'sha512']) {
      for (const b of BOTH) report(`${name}, ${n} bytes (${b})`, n, time(() => hashWith(b, name, m)));
      for (const b of BOTH) report(`HMAC-${name}, ${n} bytes (${b})`, n, time(() => hmacWith(b, name, key32, m)));
    }
  }
}
