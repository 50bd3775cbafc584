// Percent tokens (%h, %u, %%, ...) and leading-tilde expansion, as OpenSSH's percent_expand and tilde_expand.

import { posix } from 'node:path';

/** A `%x` that the keyword does not know, or a lone `%` at the end. */
export class TokenError extends Error {
  override name = 'TokenError';
}

/** Replaces `%x` by `tokens[x]`; `%%` is a literal percent sign. */
export function expandTokens(text: string, tokens: Readonly<Record<string, string>>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '%') {
      out += text[i];
      continue;
    }
    const key = text[++i];
    if (key === undefined) throw new TokenError(`invalid format: lone % at end of "${text}"`);
    if (key === '%') out += '%';
    else if (Object.hasOwn(tokens, key)) out += tokens[key];
    else throw new TokenError(`unknown key %${key}`);
  }
  return out;
}

/** `~` and `~/...` become the home directory; `~user` forms are refused. */
export function expandTilde(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return posix.join(home, path.slice(2));
  if (path.startsWith('~')) throw new TokenError(`cannot expand ${path.split('/')[0]}: only ~ and ~/ are supported`);
  return path;
}

/** `${NAME}` becomes the environment variable's value; an unset variable is an error (dollar_expand). */
export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new TokenError(`invalid environment variable \${${name}}`);
    const value = env[name];
    if (value === undefined) throw new TokenError(`env var \${${name}} has no value`);
    return value;
  });
}
