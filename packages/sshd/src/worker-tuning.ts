// Node options for tsshd-session workers started by tsshd: one process per connection, so every megabyte of a
// worker counts once per session. Measured with `make bench` (memory of 50 idle sessions).
export const WORKER_NODE_OPTIONS: readonly string[] = Object.freeze([]);
