import { ProtocolError } from '../wire/index.js';

/** A key blob or key file names a type we do not implement. */
export class UnsupportedKeyTypeError extends ProtocolError {
  override name = 'UnsupportedKeyTypeError';
  constructor(readonly keyType: string) {
    super(`unsupported key type ${keyType}`);
  }
}

/** A key file, key line or key list is malformed; `detail` says where. ssh-keygen reports it as "invalid format". */
export class KeyFormatError extends ProtocolError {
  override name = 'KeyFormatError';
  constructor(readonly detail: string) {
    super(`invalid format: ${detail}`);
  }
}

/** A private key file is encrypted with a cipher or KDF we do not implement. */
export class UnsupportedKeyCipherError extends KeyFormatError {
  override name = 'UnsupportedKeyCipherError';
  constructor(readonly cipherName: string) {
    super(`unknown or unsupported cipher or KDF ${cipherName}`);
  }
}

/**
 * An encrypted private key could not be opened: no passphrase was given, or it was wrong (the check-ints
 * differ after decryption, PROTOCOL.key §3). The message is OpenSSH's.
 */
export class KeyDecryptError extends ProtocolError {
  override name = 'KeyDecryptError';
  constructor(readonly passphraseGiven: boolean) {
    super('incorrect passphrase supplied to decrypt private key');
  }
}
