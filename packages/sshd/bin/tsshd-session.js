#!/usr/bin/env -S node --max-semi-space-size=4 --initial-old-space-size=64
// Run directly (inetd, xinetd, systemd), the worker gets the memory settings tsshd gives the workers it starts
// (see src/worker-tuning.ts).
import '../dist/tsshd-session.js';
