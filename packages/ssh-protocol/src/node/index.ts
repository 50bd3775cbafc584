export * from './channel-stream.js';
export * from './stream-io.js';
