export * from './packet-cipher.js';
export * from './none.js';
export * from './chacha20-poly1305.js';
export * from './aes-gcm.js';
export * from './aes-ctr.js';
export * from './registry.js';
