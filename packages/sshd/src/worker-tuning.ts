// Node options for tsshd-session workers started by tsshd: one process per connection, so every megabyte of a
// worker counts once per session, and so does every CPU second of a bulk transfer. The young generation's
// semi-spaces (16 MB by default) set both. Measured on an idle authenticated session (RSS / PSS): 1 MB 69 / 30 MB,
// 4 MB 75 / 36 MB, 16 MB 79 / 40 MB; and on 1 GiB uploads from OpenSSH's ssh (aes128-gcm, worker CPU per GiB,
// same machine, interleaved runs): 1 MB 3.9-4.0 s, 4 MB 2.3-2.4 s, 16 MB 2.3-2.5 s — with 1 MB semi-spaces the
// per-packet buffers are collected in far more scavenges. 4 MB keeps the throughput for 6 MB a session.
// Capping the old space, --optimize-for-size, --single-threaded and an explicit GC once idle each changed less
// than 2 MB: what remains is Node itself (about 41 MB) and the loaded code.
export const WORKER_NODE_OPTIONS: readonly string[] = Object.freeze(['--max-semi-space-size=4']);
