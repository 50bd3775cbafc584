// Identity files for public key authentication. As ssh does, a key is offered from its public half (stored in
// the clear in an openssh-key-v1 file) and the private half is read only when the server accepts the key: that
// is when the passphrase is asked for, and when a file readable by others is refused.
import { readFileSync, statSync } from 'node:fs';
import type { ClientIdentity } from '@tssh/ssh-protocol/auth';
import {
  KeyDecryptError,
  UnsupportedKeyTypeError,
  inspectPrivateKeyFile,
  isOpenSshPrivateKey,
  parsePrivateKeyFile,
  type PrivateKey,
} from '@tssh/ssh-protocol/keys';
import type { ClientLogger } from './client-log.js';

export interface IdentityFile {
  readonly path: string;
  /** Named by -i or IdentityFile (a missing one is worth a message), rather than one of the defaults. */
  readonly userProvided: boolean;
}

export interface IdentityOptions {
  readonly log: ClientLogger;
  readonly batchMode: boolean;
  /** How many times a passphrase is asked for (NumberOfPasswordPrompts). */
  readonly passphrasePrompts: number;
  /** Asks without echo on the terminal; undefined when the user gives up. */
  askSecret(prompt: string): Promise<string | undefined>;
}

/** Loads the public halves of `files`, skipping (with a debug line) what cannot be used. */
export function loadIdentities(files: readonly IdentityFile[], opts: IdentityOptions): ClientIdentity[] {
  const out: ClientIdentity[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    const identity = loadIdentity(file, opts);
    if (identity) out.push(identity);
  }
  return out;
}

function loadIdentity(file: IdentityFile, opts: IdentityOptions): ClientIdentity | undefined {
  const { log } = opts;
  let text: string;
  try {
    text = readFileSync(file.path, 'latin1');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'No such file or directory' : err.code === 'EACCES' ? 'Permission denied' : err.message;
    if (file.userProvided) log.info(`no such identity: ${file.path}: ${why}`);
    else log.debug3(`identity file ${file.path}: ${why}`);
    return undefined;
  }
  if (!isOpenSshPrivateKey(text)) {
    log.debug(`Load key "${file.path}": invalid format (not an openssh-key-v1 private key)`);
    return undefined;
  }
  let info: ReturnType<typeof inspectPrivateKeyFile>;
  try {
    info = inspectPrivateKeyFile(text);
  } catch (e) {
    if (e instanceof UnsupportedKeyTypeError) log.debug(`Skipping ${file.path}: unsupported key type ${e.keyType}`);
    else log.debug(`Load key "${file.path}": ${(e as Error).message}`);
    return undefined;
  }
  log.debug(`identity file ${file.path} type ${info.publicKey.type}`);
  let privateKey: PrivateKey | undefined;
  const identity: ClientIdentity = {
    publicKey: info.publicKey,
    comment: file.path,
    sign: async (data, algorithm) => {
      privateKey ??= await loadPrivate(file.path, info.encrypted, opts);
      return privateKey.sign(data, algorithm);
    },
  };
  return identity;
}

const BAR = '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@';

/** ssh's sshkey_perm_ok: a private key file of ours that others may read is refused. */
function checkPermissions(path: string, log: ClientLogger): void {
  const st = statSync(path);
  const uid = process.getuid?.();
  if (uid === undefined || st.uid !== uid || (st.mode & 0o077) === 0) return;
  const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
  for (const line of [
    BAR,
    '@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @',
    BAR,
    `Permissions ${mode} for '${path}' are too open.`,
    'It is required that your private key files are NOT accessible by others.',
    'This private key will be ignored.',
  ]) {
    log.error(line);
  }
  log.error(`Load key "${path}": bad permissions`);
  throw new Error(`Load key "${path}": bad permissions`);
}

async function loadPrivate(path: string, encrypted: boolean, opts: IdentityOptions): Promise<PrivateKey> {
  checkPermissions(path, opts.log);
  const text = readFileSync(path, 'latin1');
  if (!encrypted) return parsePrivateKeyFile(text);
  if (opts.batchMode) throw new Error(`Load key "${path}": passphrase needed and BatchMode is set`);
  const prompt = `Enter passphrase for key '${path}': `;
  for (let i = 0; i < Math.max(1, opts.passphrasePrompts); i++) {
    const passphrase = await opts.askSecret(prompt);
    if (passphrase === undefined || passphrase === '') {
      opts.log.debug2('no passphrase given, try next key');
      break;
    }
    try {
      return parsePrivateKeyFile(text, passphrase);
    } catch (e) {
      if (!(e instanceof KeyDecryptError)) throw e;
      opts.log.debug2('bad passphrase given, try again...');
    }
  }
  const why = `Load key "${path}": incorrect passphrase supplied to decrypt private key`;
  opts.log.debug(why);
  throw new Error(why);
}
