import { decodeBase64, encodeBase64 } from './base64.js';
import { KeyFormatError } from './key-errors.js';

/** ssh-keygen wraps the base64 of its private keys at 70 columns. */
export const OPENSSH_ARMOUR_WIDTH = 70;

function begin(label: string): string {
  return `-----BEGIN ${label}-----`;
}

function end(label: string): string {
  return `-----END ${label}-----`;
}

/** Wrap bytes in `-----BEGIN label-----` ... `-----END label-----` lines, base64 at `width` columns; ends with \n. */
export function armour(label: string, data: Uint8Array, width = OPENSSH_ARMOUR_WIDTH): string {
  const b64 = encodeBase64(data);
  const lines = [begin(label)];
  for (let i = 0; i < b64.length; i += width) lines.push(b64.slice(i, i + width));
  lines.push(end(label));
  return lines.join('\n') + '\n';
}

/** Whether `text` starts (after blank space) with the BEGIN line of `label`. */
export function hasArmour(text: string, label: string): boolean {
  return text.trimStart().startsWith(begin(label));
}

/** The bytes inside the armour; LF or CRLF line ends, surrounding blank space allowed. */
export function unarmour(text: string, label: string): Uint8Array {
  const lines = text.trim().split(/\r?\n/);
  if (lines[0].trimEnd() !== begin(label)) throw new KeyFormatError(`missing "${begin(label)}" line`);
  const last = lines.findIndex((l) => l.trimEnd() === end(label));
  if (last < 0) throw new KeyFormatError(`missing "${end(label)}" line`);
  if (last !== lines.length - 1) throw new KeyFormatError(`text after "${end(label)}"`);
  const body = lines.slice(1, last).map((l) => l.trim()).join('');
  const data = decodeBase64(body);
  if (!data || data.length === 0) throw new KeyFormatError('bad base64 inside the armour');
  return data;
}
