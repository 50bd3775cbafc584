import { CHACHA20_WASM_BASE64 } from './chacha20-wasm-module.js';
import { instantiateWasm, type WasmExports, type WasmOffset } from './wasm-instance.js';

interface Chacha20Exports extends WasmExports {
  readonly keyOffset: WasmOffset;
  readonly nonceOffset: WasmOffset;
  readonly bufferOffset: WasmOffset;
  xor(len: number, counterLow: number, counterHigh: number): void;
}

// Calls run to completion synchronously; the module wipes key, nonce and keystream, and the data is wiped below.
const wasm = instantiateWasm<Chacha20Exports>(CHACHA20_WASM_BASE64);
const memory = new Uint8Array(wasm.memory.buffer);
const KEY = wasm.keyOffset.value;
const NONCE = wasm.nonceOffset.value;
const BUFFER = wasm.bufferOffset.value;
/** Bytes per call: the buffer in whole 64-byte blocks, so that the counter advances by CHUNK / 64 per call. */
const CHUNK = (memory.length - BUFFER) & ~63;

/**
 * ChaCha20 (64-bit counter and nonce, see chacha20.ts) in our WebAssembly module: no setup cost, so it is the fast
 * choice for a few bytes such as the encrypted packet length; OpenSSL is several times faster in bulk.
 */
export function chacha20XorWasm(key: Uint8Array, nonce8: Uint8Array, counter: number, data: Uint8Array): Uint8Array {
  if (key.length !== 32 || nonce8.length !== 8) throw new RangeError('ChaCha20 needs a 32-byte key and 8-byte nonce');
  const out = new Uint8Array(data.length);
  for (let off = 0; off < data.length; off += CHUNK) {
    const n = Math.min(CHUNK, data.length - off);
    const block = counter + off / 64;
    memory.set(key, KEY);
    memory.set(nonce8, NONCE);
    memory.set(data.subarray(off, off + n), BUFFER);
    wasm.xor(n, block >>> 0, Math.floor(block / 0x100000000));
    out.set(memory.subarray(BUFFER, BUFFER + n), off);
  }
  memory.fill(0, BUFFER, BUFFER + Math.min(CHUNK, data.length));
  return out;
}
