export * from './types.js';
export * from './ed25519-key.js';
export * from './public-key.js';
