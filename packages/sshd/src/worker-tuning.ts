// Node options for tsshd-session workers started by tsshd: one process per connection, so every megabyte of a
// worker counts once per session, and so does every CPU second of a bulk transfer.
//
// --max-semi-space-size: the young generation's semi-spaces (16 MB by default) set both. Measured on an idle
// authenticated session (RSS / PSS): 1 MB 69 / 30 MB, 4 MB 75 / 36 MB, 16 MB 79 / 40 MB; and on 1 GiB uploads
// from OpenSSH's ssh (aes128-gcm, worker CPU per GiB, same machine, interleaved runs): 1 MB 3.9-4.0 s, 4 MB
// 2.3-2.4 s, 16 MB 2.3-2.5 s — with 1 MB semi-spaces the per-packet buffers are collected in far more scavenges.
// 4 MB keeps the throughput for 6 MB a session.
//
// --initial-old-space-size: a worker loaded from the bundle starts with a small old generation (about 10 MB),
// and V8 sets the first limits from it. A bulk transfer promotes a little of every packet's garbage, so the old
// generation kept reaching a limit only 12 MB away: 64 full mark-compacts in a 1 GiB download (`--trace-gc`),
// each lowering the next limit's growth factor. With a 64 MB initial limit there were none, and the download went
// from 365 to 450 MB/s (aes128-gcm, OpenSSH's ssh). It is a limit, not a reservation: an idle session's RSS is
// unchanged (67.0 MiB either way, idle-memory bench).
//
// Capping the old space, --optimize-for-size, --single-threaded and an explicit GC once idle each changed less
// than 2 MB: what remains is Node itself (about 41 MB) and the loaded code.
export const WORKER_NODE_OPTIONS: readonly string[] = Object.freeze(['--max-semi-space-size=4', '--initial-old-space-size=64']);

// UV_THREADPOOL_SIZE=1: internal-sftp's file writes go through libuv's pool, and an upload's all go to one file,
// which Linux lets one writer into at a time (the inode's lock): with the default four threads, the others spun on
// that lock (rwsem_spin_on_owner) and took CPU from the SSH work. OpenSSH's sftp-server does every file operation
// in its one thread. 1 GiB from OpenSSH's sftp to tmpfs, interleaved: 243-271 -> 290-336 MB/s put (two threads:
// 258-298), get unchanged. libuv sizes its pool at the first file request, which Node makes while loading the
// first module, so the variable is given in the environment (and in tsshd-session's shebang for inetd and systemd).
export const WORKER_ENV: Readonly<Record<string, string>> = Object.freeze({ UV_THREADPOOL_SIZE: '1' });

/** WORKER_ENV less what tsshd's own environment sets: an operator's value is kept. */
export function workerEnvDefaults(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(Object.entries(WORKER_ENV).filter(([name]) => env[name] === undefined));
}
