// The messages between tsshd and a pre-started tsshd-session over the IPC channel the worker inherits. The
// listener sends exactly one connection (with its socket); the worker says when it is ready to take one, that it
// has the connection, and when its user has authenticated, then lets go of the channel.

export type ListenerMessage = { type: 'connection' };

export type WorkerMessage = { type: 'ready' } | { type: 'accepted' } | { type: 'authenticated'; user: string };

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  if (typeof m !== 'object' || m === null) return false;
  const type = (m as { type?: unknown }).type;
  return type === 'ready' || type === 'accepted' || (type === 'authenticated' && typeof (m as { user?: unknown }).user === 'string');
}

export function isListenerMessage(m: unknown): m is ListenerMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'connection';
}
