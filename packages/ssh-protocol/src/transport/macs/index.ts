export * from './mac-spec.js';
