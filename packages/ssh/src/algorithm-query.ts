// `tssh -Q KIND`: the algorithms tssh implements, one name a line, as `ssh -Q` lists them. The keyword names
// (`-Q Ciphers`, `-Q KexAlgorithms`, ...) answer as their kinds do, case-insensitively, as in ssh.
import { supportedKeyTypes, supportedSignatureAlgorithms } from '@tssh/ssh-protocol/keys';
import { CIPHERS, SUPPORTED } from '@tssh/ssh-protocol/transport';

/** Signature algorithms that are not also key type names (rsa-sha2-256, rsa-sha2-512). */
function signatureOnly(): string[] {
  const types = supportedKeyTypes();
  return supportedSignatureAlgorithms().filter((a) => !types.includes(a));
}

const KINDS: ReadonlyMap<string, () => readonly string[]> = new Map<string, () => readonly string[]>([
  ['cipher', () => SUPPORTED.ciphers],
  ['cipher-auth', () => SUPPORTED.ciphers.filter((c) => CIPHERS.get(c)?.aead === true)],
  ['compression', () => SUPPORTED.compression],
  ['kex', () => SUPPORTED.kex],
  ['key', () => supportedKeyTypes()],
  ['key-plain', () => supportedKeyTypes()],
  ['key-sig', () => [...supportedKeyTypes(), ...signatureOnly()]],
  ['mac', () => SUPPORTED.macs],
  ['protocol-version', () => ['2']],
  ['sig', () => supportedSignatureAlgorithms()],
]);

/** ssh_config keywords that -Q also takes, and the kind each lists. */
const KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['ciphers', 'cipher'],
  ['macs', 'mac'],
  ['kexalgorithms', 'kex'],
  ['hostkeyalgorithms', 'key-sig'],
  ['pubkeyacceptedalgorithms', 'key-sig'],
]);

/** A -Q argument that is neither a kind nor a keyword; ssh's words, exit status 255. */
export class UnsupportedQueryError extends Error {
  override name = 'UnsupportedQueryError';
  constructor(query: string) {
    super(`Unsupported query "${query}"`);
  }
}

/** The lines `tssh -Q query` prints. */
export function answerQuery(query: string): string[] {
  if (query === 'help') return [...KINDS.keys(), ...KEYWORDS.keys(), 'help'].sort();
  const kind = KINDS.has(query) ? query : KEYWORDS.get(query.toLowerCase());
  const list = kind === undefined ? undefined : KINDS.get(kind);
  if (list === undefined) throw new UnsupportedQueryError(query);
  return [...list()];
}
