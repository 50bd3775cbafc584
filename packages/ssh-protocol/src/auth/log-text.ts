// Text for log lines in the shape sshd writes them. Names come from the peer, so control characters are
// escaped before they reach a log (no forged lines); keys are shown by type and SHA256 fingerprint only.
import { hash } from '../crypto/index.js';
import type { PublicKey } from '../keys/index.js';

/** Escape control characters as octal, as OpenSSH's strnvis(VIS_SAFE|VIS_OCTAL) does. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\\]/g, (c) =>
    c === '\\' ? '\\\\' : `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`,
  );
}

/** The short key type sshd prints: ssh-ed25519 -> ED25519, ecdsa-sha2-nistp256 -> ECDSA, ssh-rsa -> RSA. */
export function keyTypeLabel(type: string): string {
  if (type === 'ssh-ed25519') return 'ED25519';
  if (type === 'sk-ssh-ed25519@openssh.com') return 'ED25519-SK';
  if (type === 'ssh-rsa') return 'RSA';
  if (type.startsWith('ecdsa-sha2-')) return 'ECDSA';
  if (type.startsWith('sk-ecdsa-sha2-')) return 'ECDSA-SK';
  return printable(type);
}

/** `SHA256:` + unpadded base64 of the blob's SHA-256, as ssh-keygen -l shows it. */
export function sha256Fingerprint(blob: Uint8Array): string {
  return 'SHA256:' + Buffer.from(hash('sha256', blob)).toString('base64').replace(/=+$/, '');
}

export function keyLogText(key: PublicKey): string {
  return `${keyTypeLabel(key.type)} ${sha256Fingerprint(key.blob)}`;
}
