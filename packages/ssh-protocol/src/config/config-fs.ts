// The file access the config layer needs, injected so that parsing can run in memory.

import { posix } from 'node:path';
import { ConfigReadError } from './config-error.js';

export interface ConfigFs {
  /** The file's bytes, one character per byte (latin1); throws if it cannot be read. */
  readFile(path: string): string;
  /** Entry names of a directory, or undefined when it is not one. */
  listDir(path: string): string[] | undefined;
  exists(path: string): boolean;
}

/** A ConfigFs over a map of absolute paths to contents; directories are implied by the paths. */
export function memoryConfigFs(files: Readonly<Record<string, string>>): ConfigFs {
  const dirs = new Map<string, Set<string>>();
  for (const path of Object.keys(files)) {
    let child = posix.normalize(path);
    while (child !== '/' && child !== '.') {
      const parent = posix.dirname(child);
      if (!dirs.has(parent)) dirs.set(parent, new Set());
      dirs.get(parent)?.add(posix.basename(child));
      child = parent;
    }
  }
  return {
    readFile(path) {
      const text = files[posix.normalize(path)];
      if (text === undefined) throw Object.assign(new Error(`${path}: No such file or directory`), { code: 'ENOENT' });
      return text;
    },
    listDir: (path) => {
      const names = dirs.get(posix.normalize(path));
      return names ? [...names] : undefined;
    },
    exists: (path) => Object.hasOwn(files, posix.normalize(path)) || dirs.has(posix.normalize(path)),
  };
}

/** Reads a whole configuration file, turning a failure into a ConfigReadError worded like strerror(3). */
export function readConfigFile(fs: ConfigFs, path: string): string {
  try {
    return fs.readFile(path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const reason =
      code === 'ENOENT'
        ? 'No such file or directory'
        : code === 'EACCES'
          ? 'Permission denied'
          : code === 'EISDIR'
            ? 'Is a directory'
            : e instanceof Error
              ? e.message
              : String(e);
    throw new ConfigReadError(path, reason);
  }
}
