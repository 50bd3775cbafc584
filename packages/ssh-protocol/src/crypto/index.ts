export * from './random.js';
export * from './hash.js';
export * from './constant-time.js';
export * from './x25519.js';
export * from './ed25519.js';
export * from './chacha20.js';
export * from './aes-gcm.js';
