import { poly1305 } from '@noble/ciphers/_poly1305.js';
import { POLY1305_WASM_BASE64 } from './poly1305-wasm-module.js';
import { instantiateWasm, type WasmExports, type WasmOffset } from './wasm-instance.js';

/**
 * RFC 8439 §2.5 Poly1305 one-time authenticator, two backends behind one call: our WebAssembly module
 * (wasm/poly1305.wat, several times faster, the default) and @noble/ciphers. Tests run both on the same vectors.
 */
export type Poly1305Backend = 'wasm' | 'noble';

interface Poly1305Exports extends WasmExports {
  readonly keyOffset: WasmOffset;
  readonly tagOffset: WasmOffset;
  readonly bufferOffset: WasmOffset;
  init(): void;
  update(ptr: number, len: number): void;
  finish(ptr: number, rem: number): void;
  mac(len: number): void;
}

// Every call below runs to completion synchronously and leaves no secret in the instance: `finish` wipes the key and
// state; the buffer keeps only the last message, which is ciphertext in SSH.
const wasm = instantiateWasm<Poly1305Exports>(POLY1305_WASM_BASE64);
const memory = new Uint8Array(wasm.memory.buffer);
const KEY = wasm.keyOffset.value;
const TAG = wasm.tagOffset.value;
const BUFFER = wasm.bufferOffset.value;
/** Bytes of message the module takes per call: all of its buffer, in whole 16-byte blocks. */
const CHUNK = (memory.length - BUFFER) & ~15;

function checkKey(key: Uint8Array): void {
  if (key.length !== 32) throw new RangeError('Poly1305 needs a 32-byte one-time key');
}

function wasmMac(key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array {
  memory.set(key, KEY);
  let total = 0;
  for (const p of parts) total += p.length;
  if (total <= CHUNK) {
    let at = BUFFER;
    for (const p of parts) {
      memory.set(p, at);
      at += p.length;
    }
    wasm.mac(total);
  } else {
    // Long messages go through the buffer in whole blocks; a block may straddle two parts.
    wasm.init();
    let fill = 0;
    for (const p of parts) {
      for (let off = 0; off < p.length; ) {
        const n = Math.min(CHUNK - fill, p.length - off);
        memory.set(p.subarray(off, off + n), BUFFER + fill);
        fill += n;
        off += n;
        if (fill === CHUNK) {
          wasm.update(BUFFER, CHUNK);
          fill = 0;
        }
      }
    }
    const whole = fill & ~15;
    wasm.update(BUFFER, whole);
    wasm.finish(BUFFER + whole, fill - whole);
  }
  return memory.slice(TAG, TAG + 16);
}

/** RFC 8439 §2.5: the 16-byte tag of `message` under the one-time `key` (r || s, 32 bytes). */
export function poly1305Mac(key: Uint8Array, message: Uint8Array, backend: Poly1305Backend = 'wasm'): Uint8Array {
  checkKey(key);
  return backend === 'noble' ? poly1305(message, key) : wasmMac(key, [message]);
}

/**
 * The tag of the concatenation of `parts`, without concatenating them first (the wasm backend copies each part
 * straight into its buffer). chacha20-poly1305@openssh.com authenticates encrypted length || encrypted payload.
 */
export function poly1305MacParts(
  key: Uint8Array,
  parts: readonly Uint8Array[],
  backend: Poly1305Backend = 'wasm',
): Uint8Array {
  checkKey(key);
  if (backend === 'wasm') return wasmMac(key, parts);
  const mac = poly1305.create(key);
  for (const p of parts) mac.update(p);
  return mac.digest();
}
