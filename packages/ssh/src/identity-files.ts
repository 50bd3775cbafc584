// Identity files for public key authentication, as ssh reads them. A key is offered from its public half and
// the private half is read only when the server accepts the key: that is when the passphrase is asked for, and
// when a file readable by others is refused. Where the public half comes from:
//   openssh-key-v1   stored in the clear in the file itself;
//   PEM / PKCS #8    the `.pub` file beside it; without one, the key is read when its turn comes ("Trying
//                    private key"), which for an encrypted key means the passphrase is asked then;
//   a public key     (IdentityFile naming a `.pub` file, the private key living in an agent) only that.
import { readFileSync, statSync } from 'node:fs';
import type { ClientIdentity, DeferredClientIdentity } from '@tssh/ssh-protocol/auth';
import {
  KeyDecryptError,
  KeyFormatError,
  UnsupportedKeyCipherError,
  UnsupportedKeyTypeError,
  inspectPrivateKeyFile,
  isEncryptedPrivateKey,
  isOpenSshPrivateKey,
  isPemPrivateKey,
  parsePrivateKeyFile,
  parsePublicKeyLine,
  type PrivateKey,
  type PublicKey,
} from '@tssh/ssh-protocol/keys';
import type { ClientLogger } from './client-log.js';
import { askOrGiveUp, type Prompter } from './terminal-prompt.js';

export interface IdentityFile {
  readonly path: string;
  /** Named by -i or IdentityFile (a missing one is worth a message), rather than one of the defaults. */
  readonly userProvided: boolean;
}

export interface IdentityFileOptions {
  readonly log: ClientLogger;
  readonly batchMode: boolean;
  /** How many times a passphrase is asked for (NumberOfPasswordPrompts). */
  readonly passphrasePrompts: number;
  readonly prompter: Prompter;
}

/** One identity file, ready to offer (public half known) or to load when its turn comes. */
export type LoadedIdentityFile =
  | { readonly kind: 'key'; readonly file: IdentityFile; readonly identity: ClientIdentity }
  | { readonly kind: 'deferred'; readonly file: IdentityFile; readonly identity: DeferredClientIdentity };

function readText(file: IdentityFile, log: ClientLogger): string | undefined {
  try {
    return readFileSync(file.path, 'latin1');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'No such file or directory' : err.code === 'EACCES' ? 'Permission denied' : err.message;
    if (file.userProvided) log.info(`no such identity: ${file.path}: ${why}`);
    else log.debug3(`identity file ${file.path}: ${why}`);
    return undefined;
  }
}

/** The public key in `path`, a public key line (`TYPE BASE64 [COMMENT]`); undefined when it is not one. */
function readPublicKeyFile(path: string): PublicKey | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (line === undefined) return undefined;
  try {
    return parsePublicKeyLine(line.trim()).key;
  } catch {
    return undefined;
  }
}

/** Reads what can be read of `file` without a passphrase; undefined (with a debug line) when it cannot be used. */
export function loadIdentityFile(file: IdentityFile, opts: IdentityFileOptions): LoadedIdentityFile | undefined {
  const { log } = opts;
  const text = readText(file, opts.log);
  if (text === undefined) return undefined;
  try {
    if (isOpenSshPrivateKey(text)) {
      const info = inspectPrivateKeyFile(text);
      log.debug(`identity file ${file.path} type ${info.publicKey.type}`);
      return { kind: 'key', file, identity: fileIdentity(file.path, info.publicKey, info.encrypted, opts) };
    }
    if (isPemPrivateKey(text)) {
      const encrypted = isEncryptedPrivateKey(text);
      const publicKey = readPublicKeyFile(`${file.path}.pub`);
      if (publicKey) {
        log.debug(`identity file ${file.path} type ${publicKey.type}`);
        return { kind: 'key', file, identity: fileIdentity(file.path, publicKey, encrypted, opts) };
      }
      log.debug(`identity file ${file.path} type -1`);
      const deferred: DeferredClientIdentity = {
        comment: file.path,
        load: async () => {
          const key = await loadPrivate(file.path, encrypted, opts);
          return { publicKey: key.publicKey, comment: file.path, sign: async (data, algorithm) => key.sign(data, algorithm) };
        },
      };
      return { kind: 'deferred', file, identity: deferred };
    }
    const publicKey = readPublicKeyFile(file.path);
    if (publicKey) {
      log.debug(`identity file ${file.path} type ${publicKey.type} (public key only)`);
      const identity: ClientIdentity = {
        publicKey,
        comment: file.path,
        sign: async () => {
          throw new Error(`Load key "${file.path}": no private key (only its agent can sign)`);
        },
      };
      return { kind: 'key', file, identity };
    }
    log.debug(`Load key "${file.path}": invalid format`);
  } catch (e) {
    if (e instanceof UnsupportedKeyTypeError) log.debug(`Skipping ${file.path}: unsupported key type ${e.keyType}`);
    else if (e instanceof UnsupportedKeyCipherError) log.debug(`Skipping ${file.path}: ${e.message}`);
    else if (e instanceof KeyFormatError) log.debug(`Load key "${file.path}": invalid format`);
    else throw e;
  }
  return undefined;
}

/** An identity whose public half is known; the private half is read (and decrypted) on the first signature. */
function fileIdentity(path: string, publicKey: PublicKey, encrypted: boolean, opts: IdentityFileOptions): ClientIdentity {
  let privateKey: PrivateKey | undefined;
  return {
    publicKey,
    comment: path,
    sign: async (data, algorithm) => {
      privateKey ??= await loadPrivate(path, encrypted, opts);
      return privateKey.sign(data, algorithm);
    },
  };
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

/** ssh's load_identity_file: the permission check, then the passphrase asked up to NumberOfPasswordPrompts times. */
async function loadPrivate(path: string, encrypted: boolean, opts: IdentityFileOptions): Promise<PrivateKey> {
  checkPermissions(path, opts.log);
  const text = readFileSync(path, 'latin1');
  if (!encrypted) return parsePrivateKeyFile(text);
  if (opts.batchMode) throw new Error(`Load key "${path}": passphrase needed and BatchMode is set`);
  const prompt = `Enter passphrase for key '${path}': `;
  for (let i = 0; i < Math.max(1, opts.passphrasePrompts); i++) {
    const passphrase = await askOrGiveUp(opts.prompter, prompt, false);
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
