export * from './errors.js';
export * from './messages.js';
export * from './reader.js';
export * from './writer.js';
export * from './bytes.js';
export * from './env.js';
export * from './byte-queue.js';
