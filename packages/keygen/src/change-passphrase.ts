// `tssh-keygen -p [-f FILE] [-P old] [-N new] [-a rounds] [-Z cipher]`: re-encrypt a private key, as ssh-keygen's
// do_change_passphrase. The key is written back as openssh-key-v1, whatever format it was read from.
import { statSync } from 'node:fs';
import { KeyDecryptError, isPemPrivateKey, parsePrivateKeyFile, type PrivateKey } from '@tssh/ssh-protocol/keys';
import type { KeygenArgs } from './command-line.js';
import { FatalError, strerror } from './fatal.js';
import { loadKeyReason, privateKeyText, readTextFile, replaceFileAtomically } from './key-files.js';
import { defaultIdentityFile } from './paths.js';
import { onTerminal, readHidden, readLine } from './prompt.js';

async function keyFileName(args: KeygenArgs): Promise<string> {
  if (args.file !== undefined) return args.file;
  const fallback = defaultIdentityFile();
  if (!onTerminal()) return fallback;
  const answer = await readLine(`Enter file in which the key is (${fallback}): `);
  if (answer === undefined) throw new FatalError('tssh-keygen: no file name given');
  return answer === '' ? fallback : answer;
}

/** Try without a passphrase; an encrypted key then takes -P, or asks on the terminal. */
async function loadForChange(path: string, text: string, oldPassphrase: string | undefined): Promise<PrivateKey> {
  const fail = (e: unknown): FatalError => new FatalError(`Failed to load key ${path}: ${loadKeyReason(e)}`);
  try {
    return parsePrivateKeyFile(text);
  } catch (e) {
    if (!(e instanceof KeyDecryptError)) throw fail(e);
  }
  let pass = oldPassphrase;
  if (pass === undefined && onTerminal()) pass = await readHidden('Enter old passphrase: ');
  try {
    return parsePrivateKeyFile(text, pass);
  } catch (e) {
    throw fail(e);
  }
}

/** -N, or asked twice on the terminal; ssh-keygen gives up at the first mismatch here. */
async function newPassphrase(args: KeygenArgs): Promise<string> {
  if (args.newPassphrase !== undefined) return args.newPassphrase;
  if (!onTerminal()) throw new FatalError('tssh-keygen: no new passphrase given (-N) and no terminal to ask on');
  const first = await readHidden('Enter new passphrase (empty for no passphrase): ');
  const second = await readHidden('Enter same passphrase again: ');
  if (first !== second) {
    process.stdout.write('Pass phrases do not match.  Try again.\n');
    throw new FatalError('');
  }
  return first;
}

export async function changePassphrase(args: KeygenArgs): Promise<void> {
  const path = await keyFileName(args);
  try {
    statSync(path);
  } catch (e) {
    throw new FatalError(`${path}: ${strerror(e)}`);
  }
  const text = readTextFile(path);
  const key = await loadForChange(path, text, args.passphrase);
  try {
    // PEM keys carry no comment: ssh-keygen then says nothing about one.
    if (!isPemPrivateKey(text)) process.stdout.write(`Key has comment '${key.comment}'\n`);
    const passphrase = await newPassphrase(args);
    const out = privateKeyText(key, { passphrase, rounds: args.rounds, cipher: args.cipher });
    try {
      replaceFileAtomically(path, out, 0o600);
    } catch (e) {
      throw new FatalError(`Saving key "${path}" failed: ${strerror(e)}`);
    }
  } finally {
    key.wipe();
  }
  process.stdout.write('Your identification has been saved with the new passphrase.\n');
}
