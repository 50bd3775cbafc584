// The known_hosts files on disk: reading every configured file, and adding a line to the user's first file.
import { appendFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseKnownHosts, type KnownHostEntry } from '@tssh/ssh-protocol/keys';
import type { ClientLogger } from './client-log.js';

/** Entries of all `files` in order; missing files are skipped, bad lines logged and skipped (as ssh does). */
export function readKnownHostsFiles(files: readonly string[], log: ClientLogger): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') log.debug(`Failed to open ${file}: ${(e as Error).message}`);
      continue;
    }
    const parsed = parseKnownHosts(text, file);
    for (const p of parsed.problems) log.debug2(`${file}:${p.line}: ${p.reason}`);
    entries.push(...parsed.entries);
  }
  return entries;
}

/**
 * Appends `line` to `file`. The directory is made (mode 0700) when missing, as ssh makes ~/.ssh; a file
 * without a final newline gets one first, so that the new entry is a line of its own.
 */
export function appendKnownHost(file: string, line: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const size = statSync(file).size;
    if (size > 0) {
      const text = readFileSync(file);
      if (text[text.length - 1] !== 0x0a) prefix = '\n';
    }
  } catch {
    // a new file
  }
  appendFileSync(file, `${prefix}${line}\n`, { mode: 0o644 });
}
