export * from './messages.js';
export * from './errors.js';
export * from './auth-policy.js';
export * from './method-lists.js';
export * from './log-text.js';
export * from './server-auth.js';
export * from './client-auth-types.js';
export * from './client-auth.js';
