// Text from the server shown on the user's terminal, made harmless as ssh makes it: no control character
// reaches the terminal raw (no escape sequences, no forged lines), each becomes a backslash and three octal
// digits. Two flavours, as in OpenSSH:
//   bannerText  fmprintf (utf8.c): tab, newline and carriage return stay; in a UTF-8 locale, valid printable
//               UTF-8 stays too; everything else (C0 and C1 controls, DEL, invalid bytes) is escaped per byte.
//   logText     what ssh's log functions print (strnvis with VIS_SAFE | VIS_OCTAL): printable ASCII, space,
//               tab, newline, CR, BS and BEL stay, every other byte is escaped, UTF-8 included, and a backslash
//               is doubled.

const TAB = 0x09;
const NL = 0x0a;
const CR = 0x0d;

function octal(byte: number): string {
  return `\\${byte.toString(8).padStart(3, '0')}`;
}

/** Whether the locale's character set is UTF-8, from LC_ALL, LC_CTYPE and LANG as setlocale(3) reads them. */
export function utf8Locale(env: NodeJS.ProcessEnv = process.env): boolean {
  const name = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /\.utf-?8(@|$)/i.test(name);
}

/** The length of the well-formed UTF-8 sequence at `i` (2-4), or 0. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (len === 0 || i + len > b.length) return 0;
  for (let k = 1; k < len; k++) if ((b[i + k] & 0xc0) !== 0x80) return 0;
  // Overlong forms, surrogates and code points past U+10FFFF are not well-formed.
  const c1 = b[i + 1];
  if (c === 0xe0 && c1 < 0xa0) return 0;
  if (c === 0xed && c1 >= 0xa0) return 0;
  if (c === 0xf0 && c1 < 0x90) return 0;
  if (c === 0xf4 && c1 >= 0x90) return 0;
  return len;
}

const decoder = new TextDecoder();
/** Not printable (wcwidth(3) is -1): controls (C1 among them) and unassigned code points. */
const UNPRINTABLE = /^[\p{Cc}\p{Cn}]$/u;

export function bannerText(raw: Uint8Array, utf8: boolean): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if ((c >= 0x20 && c < 0x7f) || c === TAB || c === NL || c === CR) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    const len = utf8 ? utf8SequenceLength(raw, i) : 0;
    if (len > 0) {
      const ch = decoder.decode(raw.subarray(i, i + len));
      if (!UNPRINTABLE.test(ch)) {
        out += ch;
        i += len;
        continue;
      }
      for (let k = 0; k < len; k++) out += octal(raw[i + k]);
      i += len;
      continue;
    }
    out += octal(c);
    i++;
  }
  return out;
}

const encoder = new TextEncoder();

export function logText(text: string): string {
  let out = '';
  for (const c of encoder.encode(text)) {
    const safe = (c >= 0x20 && c < 0x7f) || c === TAB || c === NL || c === CR || c === 0x08 || c === 0x07;
    out += c === 0x5c ? '\\\\' : safe ? String.fromCharCode(c) : octal(c);
  }
  return out;
}
