export * from './channel-stream.js';
export * from './stream-io.js';
export * from './sftp-accounts.js';
export * from './sftp-channel.js';
export * from './packet-buffer-pool.js';
export * from './sftp-fs.js';
export * from './sftp-client-channel.js';
export * from './agent-socket.js';
