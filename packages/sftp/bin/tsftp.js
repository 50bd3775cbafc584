#!/usr/bin/env -S UV_THREADPOOL_SIZE=1 node --initial-old-space-size=64
// The bundle while it is current, else the compiled modules, with a 64 MB initial old-generation limit (both: see
// ssh-protocol/bin/program-entry.js), and one thread in libuv's pool, for the file writes of a download (see
// src/local-file.ts; libuv sizes its pool at the first file request, which Node makes before any module runs).
import { programEntry } from '../../ssh-protocol/bin/program-entry.js';

await import(programEntry(import.meta.url, 'tsftp', ['ssh-protocol', 'ssh', 'sftp']));
