// Node runs WebAssembly, but neither lib ES2023 nor @types/node describes it: the little used here is declared here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: object };
};

/** The exports every module of crypto/wasm/ has: its memory and where its regions start. */
export interface WasmExports {
  readonly memory: { readonly buffer: ArrayBuffer };
}

/** An exported immutable i32 global, such as a region offset. */
export interface WasmOffset {
  readonly value: number;
}

/**
 * Compile and instantiate one of our generated modules (a few KiB, no imports) synchronously, at import time.
 * Each thread gets its own instance; callers use it synchronously, so that calls never interleave.
 */
export function instantiateWasm<T extends WasmExports>(base64: string): T {
  return new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(base64, 'base64'))).exports as T;
}
