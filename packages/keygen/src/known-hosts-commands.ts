// `tssh-keygen -F host`, `-R host` and `-H` on a known_hosts file, with ssh-keygen's output. Edits are written
// to a temporary file, the original is kept as FILE.old, and the new file is renamed into place.
import { linkSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import {
  findKnownHost,
  fingerprint,
  hashKnownHostEntry,
  hashKnownHosts,
  keyTypeLabel,
  randomArt,
  removeKnownHost,
  type FingerprintHash,
} from '@tssh/ssh-protocol/keys';
import { FatalError, strerror } from './fatal.js';
import { readTextFile, writeFileWithMode } from './key-files.js';
import type { KeygenLog } from './log.js';
import { defaultKnownHostsFile } from './paths.js';

export interface KnownHostsOptions {
  file: string | undefined;
  quiet: boolean;
  log: KeygenLog;
}

function statOrFail(path: string): number {
  try {
    return statSync(path).mode;
  } catch (e) {
    throw new FatalError(`Cannot stat ${path}: ${strerror(e)}`);
  }
}

/** Replace `path` by `text`, keeping the old contents as `path.old`. */
function replaceKeepingOld(path: string, text: string, mode: number): string {
  const tmp = `${path}.${Buffer.from(systemRandom(5)).toString('hex')}`;
  const old = `${path}.old`;
  writeFileWithMode(tmp, text, mode & 0o644);
  try {
    try {
      unlinkSync(old);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new FatalError(`unlink ${old}: ${strerror(e)}`);
    }
    try {
      linkSync(path, old);
    } catch (e) {
      throw new FatalError(`link ${path} to ${old}: ${strerror(e)}`);
    }
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  return old;
}

async function refuseInvalid(path: string, invalidLines: number[], log: KeygenLog): Promise<void> {
  if (invalidLines.length === 0) return;
  for (const n of invalidLines) await log.info(`${path}:${n}: invalid line`);
  await log.error(`${path} is not a valid known_hosts file.`);
  throw new FatalError('Not replacing existing known_hosts file because of errors');
}

export interface FindOptions extends KnownHostsOptions {
  /** -H: print the found lines hashed. */
  hash: boolean;
  /** -l: print fingerprints instead of lines. */
  fingerprints: boolean;
  fingerprintHash: FingerprintHash;
  verbose: boolean;
}

/** Prints what it finds; returns whether anything was found (the exit status is 1 otherwise). */
export async function findHost(host: string, opts: FindOptions): Promise<boolean> {
  const path = opts.file ?? defaultKnownHostsFile();
  statOrFail(path);
  const found = findKnownHost(readTextFile(path), host, path);
  for (const e of found) {
    const mark = e.marker === 'cert-authority' ? 'CA' : e.marker === 'revoked' ? 'REVOKED' : '';
    if (!opts.quiet) process.stdout.write(`# Host ${host} found: line ${e.line} ${mark}\n`);
    if (opts.hash) {
      const lines = hashKnownHostEntry(e, systemRandom) ?? [e.text];
      for (const l of lines) process.stdout.write(l + '\n');
    } else if (opts.fingerprints) {
      const fp = fingerprint(e.blob, opts.fingerprintHash);
      process.stdout.write(`${host} ${keyTypeLabel(e.keyType)} ${fp}${e.comment ? ' ' + e.comment : ''}\n`);
      if (opts.verbose && e.key) process.stdout.write(randomArt(e.key, opts.fingerprintHash) + '\n');
    } else {
      process.stdout.write(e.text + '\n');
    }
  }
  return found.length > 0;
}

export async function removeHost(host: string, opts: KnownHostsOptions): Promise<void> {
  const path = opts.file ?? defaultKnownHostsFile();
  const mode = statOrFail(path);
  const result = removeKnownHost(readTextFile(path), host);
  await refuseInvalid(path, result.invalidLines, opts.log);
  if (result.removedLines.length === 0) {
    await opts.log.info(`Host ${host} not found in ${path}`);
    return;
  }
  if (!opts.quiet) for (const n of result.removedLines) process.stdout.write(`# Host ${host} found: line ${n}\n`);
  const old = replaceKeepingOld(path, result.text, mode);
  process.stdout.write(`${path} updated.\nOriginal contents retained as ${old}\n`);
}

export async function hashHosts(opts: KnownHostsOptions): Promise<void> {
  const path = opts.file ?? defaultKnownHostsFile();
  const mode = statOrFail(path);
  const result = hashKnownHosts(readTextFile(path), systemRandom);
  for (const w of result.wildcardLines) await opts.log.info(`${path}:${w.line}: ignoring host name with wildcard: ${w.hosts}`);
  await refuseInvalid(path, result.invalidLines, opts.log);
  const old = replaceKeepingOld(path, result.text, mode);
  process.stdout.write(`${path} updated.\nOriginal contents retained as ${old}\n`);
  if (result.hashedLines.length > 0) {
    await opts.log.info(`WARNING: ${old} contains unhashed entries`);
    await opts.log.info('Delete this file to ensure privacy of hostnames');
  }
}
