// Pieces the in-memory SFTP server tests share: a driver started over a MemoryFs with /home/alice, a gate that holds
// file system operations, and a logger that records its lines.
import type { Logger } from '@tssh/ssh-protocol/wire';
import { MemoryFs } from './sftp-memory-fs.js';
import { SftpDriver } from './sftp-driver.js';

/** A file system hook that holds every operation until release(), counting how many wait at once. */
export function gate() {
  let open = false;
  const waiting: Array<() => void> = [];
  const g = {
    active: 0,
    max: 0,
    async hook(): Promise<void> {
      g.active++;
      g.max = Math.max(g.max, g.active);
      if (!open) await new Promise<void>((r) => waiting.push(r));
      g.active--;
    },
    release(): void {
      open = true;
      for (const w of waiting.splice(0)) w();
    },
  };
  return g;
}

export function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, error: add('error'), warn: add('warn'), info: add('info'), verbose: add('verbose'), debug: add('debug') };
}

export async function started(fs = new MemoryFs(), opts: Partial<ConstructorParameters<typeof SftpDriver>[0]> = {}) {
  fs.mkdirp('/home/alice');
  const d = new SftpDriver({ fs, home: '/home/alice', ...opts });
  await d.init();
  return { d, fs };
}
