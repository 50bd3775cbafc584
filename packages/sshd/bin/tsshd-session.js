#!/usr/bin/env -S UV_THREADPOOL_SIZE=1 node --max-semi-space-size=4 --initial-old-space-size=64
// Run directly (inetd, xinetd, systemd), the worker gets the memory settings and the one-thread libuv pool tsshd
// gives the workers it starts (see src/worker-tuning.ts).
import '../dist/tsshd-session.js';
