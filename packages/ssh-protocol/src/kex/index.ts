export * from './types.js';
export * from './curve25519.js';
export * from './registry.js';
