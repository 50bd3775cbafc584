#!/usr/bin/env node
// The bundle while it is current, else the compiled modules (see ssh-protocol/bin/program-entry.js).
import { programEntry } from '../../ssh-protocol/bin/program-entry.js';

await import(programEntry(import.meta.url, 'tssh-keygen', ['ssh-protocol', 'keygen']));
