// ConfigFs over the real file system.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { ConfigFs } from './config-fs.js';

export const nodeConfigFs: ConfigFs = Object.freeze({
  readFile: (path: string) => readFileSync(path, 'latin1'),
  listDir(path: string): string[] | undefined {
    try {
      return statSync(path).isDirectory() ? readdirSync(path) : undefined;
    } catch {
      return undefined;
    }
  },
  exists: (path: string) => existsSync(path),
});
