// Node options for tsshd-session workers started by tsshd: one process per connection, so every megabyte of a
// worker counts once per session. Measured on an idle authenticated session (RSS / PSS): Node's defaults 82 / 44 MB;
// with 1 MB semi-spaces (the young generation, 16 MB by default) 69 / 30 MB, with no measurable cost in
// throughput. Capping the old space, --optimize-for-size, --single-threaded and an explicit GC once idle each
// changed less than 2 MB: what remains is Node itself (about 41 MB) and the loaded code.
export const WORKER_NODE_OPTIONS: readonly string[] = Object.freeze(['--max-semi-space-size=1']);
