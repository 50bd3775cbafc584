#!/usr/bin/env -S node --initial-old-space-size=64
// The bundle while it is current, else the compiled modules, with a 64 MB initial old-generation limit (both: see
// ssh-protocol/bin/program-entry.js).
import { programEntry } from '../../ssh-protocol/bin/program-entry.js';

await import(programEntry(import.meta.url, 'tsftp', ['ssh-protocol', 'ssh', 'sftp']));
