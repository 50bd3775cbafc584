import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  memoryConfigFs,
  parseSshdConfig,
  resolveSshConfig,
  SSH_KEYWORD_INDEX,
  SSH_KEYWORDS,
  SSHD_KEYWORD_INDEX,
  SSHD_KEYWORDS,
  type SshdConfig,
} from '@tssh/ssh-protocol/config';

// Compiled to test/dist/unit/: the repository's etc/ is three levels up.
const ETC = new URL('../../../etc/', import.meta.url);
const sshdText = readFileSync(new URL('sshd_config', ETC), 'latin1');
const sshText = readFileSync(new URL('ssh_config', ETC), 'latin1');

const SSHD_FILE = '/etc/tssh/sshd_config';
const SSH_FILE = '/etc/tssh/ssh_config';
const local = { user: 'al', home: '/home/al', uid: 1000, hostname: 'box' };

const sshd = (text: string, overrides: string[] = []) => parseSshdConfig(text, SSHD_FILE, { fs: memoryConfigFs({}), overrides });
const values = (c: SshdConfig) => ({ ...c, rules: undefined });
const ssh = (files: Record<string, string>, cliOptions: string[] = []) =>
  resolveSshConfig({ host: 'srv', files: ['/home/al/.ssh/config', SSH_FILE], fs: memoryConfigFs(files), local, env: {}, cliOptions });

/** `#Keyword value` lines (sshd style) or `#   Keyword value` (ssh style) of known keywords, before any examples. */
function commentedDefaults(text: string, indented: boolean, known: ReadonlyMap<string, unknown>): string[] {
  const body = text.split(/^# Examples/m)[0];
  const re = indented ? /^#[ \t]+([A-Za-z0-9]+)[ \t]+(\S.*)$/gm : /^#([A-Za-z0-9]+)[ \t]+(\S.*)$/gm;
  return [...body.matchAll(re)].filter((m) => known.has(m[1].toLowerCase())).map((m) => `${m[1]} ${m[2]}`);
}

test('etc/sshd_config parses and sets the intended values', () => {
  const c = sshd(sshdText);
  assert.deepEqual(c.hostKeys, ['rsa', 'ecdsa', 'ed25519'].map((t) => `/etc/tssh/ssh_host_${t}_key`), 'the three defaults, as OpenSSH ships');
  assert.equal(c.passwordAuthentication, false);
  assert.equal(c.kbdInteractiveAuthentication, false);
  assert.equal(c.pubkeyAuthentication, true);
  assert.deepEqual(c.subsystems, [{ name: 'sftp', command: 'internal-sftp' }]);
  assert.deepEqual(c.acceptEnv, ['LANG', 'LC_*']);
  assert.deepEqual(c.ports, [22]);
});

test('etc/sshd_config names every sshd keyword', () => {
  for (const k of SSHD_KEYWORDS) assert.match(sshdText, new RegExp(`^#?${k.name}\\b`, 'm'), k.name);
  assert.match(sshdText, /^Include /m);
  assert.match(sshdText, /^#Match /m);
});

test('each commented line of etc/sshd_config shows the default', () => {
  const examples = new Set(['HostKey', 'ListenAddress', 'Ciphers', 'MACs', 'KexAlgorithms', 'HostKeyAlgorithms', 'PubkeyAcceptedAlgorithms', 'SshdSessionPath', 'Match']);
  const base = values(sshd(''));
  const lines = commentedDefaults(sshdText, false, SSHD_KEYWORD_INDEX);
  assert.ok(lines.length > 40);
  for (const line of lines) {
    const parsed = sshd('', [line]);
    if (!examples.has(line.split(' ')[0])) assert.deepEqual(values(parsed), base, line);
  }
});

test('etc/ssh_config parses and sets the intended values', () => {
  const c = ssh({ [SSH_FILE]: sshText });
  assert.deepEqual(c.sendEnv, ['LANG', 'LC_*']);
  assert.deepEqual({ ...c, sendEnv: [] }, { ...ssh({}), sendEnv: [] }, 'nothing else differs from the defaults');
});

test('etc/ssh_config names every ssh keyword', () => {
  for (const k of SSH_KEYWORDS) assert.match(sshText, new RegExp(`^#?\\s*${k.name}\\b`, 'm'), k.name);
  assert.match(sshText, /^Host \*$/m);
});

test('each commented line of etc/ssh_config shows the default; examples parse', () => {
  const examples = new Set(['IdentityFile', 'Ciphers', 'MACs', 'KexAlgorithms', 'HostKeyAlgorithms', 'PubkeyAcceptedAlgorithms', 'IdentityAgent']);
  const base = ssh({});
  const lines = commentedDefaults(sshText, true, SSH_KEYWORD_INDEX);
  assert.ok(lines.length > 40);
  for (const line of lines) {
    const c = ssh({}, [line]);
    if (!examples.has(line.split(' ')[0])) assert.deepEqual(c, base, line);
  }
  const exampleLines = [...sshText.split(/^# Examples.*$/m)[1].matchAll(/^#\s+(\S.*)$/gm)].map((m) => m[1]);
  assert.ok(exampleLines.length >= 5);
  for (const line of exampleLines) ssh({}, [line]);
});
