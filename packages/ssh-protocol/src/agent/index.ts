export * from './agent-messages.js';
export * from './agent-framer.js';
export * from './agent-client.js';
