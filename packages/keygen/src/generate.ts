// Key generation: `tssh-keygen [-t ecdsa|ed25519|rsa] [-b bits] [-f FILE] [-N phrase] [-C comment] [-a rounds] [-q]`,
// with ssh-keygen's questions and messages.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import {
  InvalidKeySizeError,
  UnknownKeyTypeNameError,
  fingerprint,
  keyTypeForGeneration,
  randomArt,
  type GenerationChoice,
} from '@tssh/ssh-protocol/keys';
import type { KeygenArgs } from './command-line.js';
import { FatalError, strerror } from './fatal.js';
import { hostKeyComment } from './host-keys.js';
import { privateKeyText, publicKeyText, writeFileWithMode } from './key-files.js';
import { defaultIdentityFile, userSshDir } from './paths.js';
import { onTerminal, readLine, readNewPassphrase } from './prompt.js';

/** Ask like ssh-keygen's ask_filename; the default when the answer is empty. */
async function askFileName(prompt: string, fallback: string): Promise<string> {
  const answer = await readLine(`${prompt} (${fallback}): `);
  if (answer === undefined) throw new FatalError('tssh-keygen: no file name given');
  return answer === '' ? fallback : answer;
}

/** ~/.ssh is created (0700) when the key goes there and it is missing, as hostfile_create_user_ssh_dir does. */
function createUserSshDir(path: string, out: (line: string) => void): void {
  const dir = userSshDir();
  if (resolve(dirname(path)) !== dir || existsSync(dir)) return;
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    throw new FatalError(`Could not create directory '${dir}': ${strerror(e)}`);
  }
  out(`Created directory '${dir}'.`);
}

/** ssh-keygen's confirm_overwrite, asked only on a terminal: elsewhere an existing file is never replaced. */
async function confirmOverwrite(path: string): Promise<void> {
  if (!existsSync(path)) return;
  if (!onTerminal()) throw new FatalError(`${path} already exists; not overwriting it without a terminal to ask on.`);
  process.stdout.write(`${path} already exists.\n`);
  const answer = await readLine('Overwrite (y/n)? ');
  // Declining ends the program with status 1 and nothing more to say, as ssh-keygen does.
  if (answer === undefined || !/^[yY]/.test(answer)) throw new FatalError('');
}

export async function generateKey(args: KeygenArgs): Promise<void> {
  const typeName = args.type ?? 'ed25519';
  let choice: GenerationChoice;
  try {
    choice = keyTypeForGeneration(typeName, args.bits);
  } catch (e) {
    if (e instanceof UnknownKeyTypeNameError || e instanceof InvalidKeySizeError) throw new FatalError(e.message);
    throw e;
  }
  const { info, bits } = choice;
  const out = (line: string): void => {
    if (!args.quiet) process.stdout.write(line + '\n');
  };
  out(`Generating public/private ${typeName} key pair.`);
  const key = info.generate(systemRandom, bits);
  try {
    const fallback = defaultIdentityFile(info.shortName);
    let path = args.file;
    if (path === undefined) path = onTerminal() ? await askFileName('Enter file in which to save the key', fallback) : fallback;
    createUserSshDir(path, out);
    await confirmOverwrite(path);

    let passphrase = args.newPassphrase;
    if (passphrase === undefined) {
      passphrase = onTerminal() ? await readNewPassphrase(`Enter passphrase for "${path}" (empty for no passphrase): `) : '';
    }
    key.comment = args.comment ?? hostKeyComment();
    const privateText = privateKeyText(key, { passphrase, rounds: args.rounds, cipher: args.cipher });
    try {
      writeFileWithMode(path, privateText, 0o600);
    } catch (e) {
      throw new FatalError(`Saving key "${path}" failed: ${strerror(e)}`);
    }
    out(`Your identification has been saved in ${path}`);
    try {
      writeFileWithMode(`${path}.pub`, publicKeyText(key), 0o644);
    } catch (e) {
      throw new FatalError(`Unable to save public key to ${path}.pub: ${strerror(e)}`);
    }
    out(`Your public key has been saved in ${path}.pub`);
    out('The key fingerprint is:');
    out(`${fingerprint(key.publicKey, args.fingerprintHash)} ${key.comment}`);
    out("The key's randomart image is:");
    out(randomArt(key.publicKey, args.fingerprintHash));
  } finally {
    key.wipe();
  }
}
