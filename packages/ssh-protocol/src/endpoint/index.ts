export * from './endpoint-io.js';
export * from './server-endpoint.js';
export * from './client-endpoint.js';
