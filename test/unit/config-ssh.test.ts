import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfigError,
  formatSshConfig,
  memoryConfigFs,
  parseForwardSpec,
  resolveSshConfig,
  type SshResolveOptions,
} from '@tssh/ssh-protocol/config';
import { createHash } from 'node:crypto';

const HOME = '/home/al';
const USER_CFG = `${HOME}/.ssh/config`;
const SYS_CFG = '/etc/tssh/ssh_config';
const local = { user: 'al', home: HOME, uid: 1000, hostname: 'box.lan' };

function resolve(host: string, files: Record<string, string>, extra: Partial<SshResolveOptions> = {}) {
  return resolveSshConfig({ host, files: [USER_CFG, SYS_CFG], fs: memoryConfigFs(files), local, env: {}, ...extra });
}

function errorOf(host: string, files: Record<string, string>, extra: Partial<SshResolveOptions> = {}): string {
  try {
    resolve(host, files, extra);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail('no error');
}

test('defaults with no files', () => {
  const c = resolve('srv', {});
  assert.equal(c.host, 'srv');
  assert.equal(c.hostName, 'srv');
  assert.equal(c.port, 22);
  assert.equal(c.user, 'al');
  assert.equal(c.identityFilesFromConfig, false);
  assert.deepEqual(c.identityFiles, ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk'].map((n) => `${HOME}/.ssh/${n}`));
  assert.deepEqual(c.userKnownHostsFiles, [`${HOME}/.ssh/known_hosts`, `${HOME}/.ssh/known_hosts2`]);
  assert.deepEqual(c.globalKnownHostsFiles, ['/etc/tssh/ssh_known_hosts', '/etc/tssh/ssh_known_hosts2']);
  assert.equal(c.strictHostKeyChecking, 'ask');
  assert.equal(c.escapeChar, '~');
  assert.equal(c.connectTimeout, undefined);
  assert.equal(c.proxyCommand, undefined);
});

test('Host patterns, negation, first value wins, user file before system file', () => {
  const files = {
    [USER_CFG]: [
      'Host web? !web9 *.example.com',
      '  User deploy',
      '  Port 2200',
      'Host *',
      '  User fallback',
      '  ServerAliveInterval 30',
    ].join('\n'),
    [SYS_CFG]: 'Host *\n  Port 2300\n  User system\n  Compression yes\n',
  };
  const web1 = resolve('web1', files);
  assert.deepEqual([web1.user, web1.port, web1.serverAliveInterval, web1.compression], ['deploy', 2200, 30, true]);
  const web9 = resolve('web9', files);
  assert.deepEqual([web9.user, web9.port], ['fallback', 2300], 'negated pattern excludes the block');
  assert.equal(resolve('A.EXAMPLE.COM', files).user, 'deploy', 'host patterns ignore case');
  assert.equal(resolve('example.com', files).user, 'fallback');
});

test('-p/-l and -o come first and win', () => {
  const files = { [USER_CFG]: 'Host *\n User cfg\n Port 2200\n StrictHostKeyChecking yes\n' };
  const c = resolve('h', files, { user: 'cli', port: 2022, cliOptions: ['StrictHostKeyChecking=accept-new', 'User=ignored'] });
  assert.deepEqual([c.user, c.port, c.strictHostKeyChecking], ['cli', 2022, 'accept-new']);
  assert.equal(resolve('h', files, { cliOptions: ['StrictHostKeyChecking off'] }).strictHostKeyChecking, 'no');
});

test('HostName with %h, Match host sees it, originalhost does not', () => {
  const files = {
    [USER_CFG]: [
      'Host short',
      '  HostName %h.corp.example',
      'Match host *.corp.example',
      '  User corp',
      'Match originalhost short',
      '  Port 2201',
      'Match originalhost short.corp.example',
      '  Port 9999',
    ].join('\n'),
  };
  const c = resolve('short', files);
  assert.deepEqual([c.hostName, c.user, c.port], ['short.corp.example', 'corp', 2201]);
});

test('Match user, localuser, all, negation, final', () => {
  const files = {
    [USER_CFG]: [
      'Match user root',
      '  IdentityFile ~/.ssh/root_key',
      'Match !localuser al',
      '  Port 1',
      'Match localuser a*',
      '  ConnectTimeout 5',
      'Match final host srv',
      '  ServerAliveCountMax 9',
      'Match all',
      '  BatchMode yes',
    ].join('\n'),
  };
  const root = resolve('srv', files, { user: 'root' });
  assert.deepEqual(root.identityFiles, [`${HOME}/.ssh/root_key`]);
  assert.equal(root.identityFilesFromConfig, true);
  assert.equal(root.port, 22);
  assert.equal(root.connectTimeout, 5);
  assert.equal(root.serverAliveCountMax, 9, 'final blocks apply in the second pass');
  assert.equal(root.batchMode, true);
  assert.equal(resolve('srv', files).identityFilesFromConfig, false);
});

test('multi-valued keywords accumulate; SendEnv -pattern removes', () => {
  const files = {
    [USER_CFG]: [
      'Host *',
      '  IdentityFile ~/.ssh/a',
      '  IdentityFile %d/.ssh/b_%u_%r@%h',
      '  LocalForward 8080 localhost:80',
      '  LocalForward [::1]:8443 [2001:db8::1]:443',
      '  RemoteForward 9000 localhost:9000',
      '  RemoteForward 1080',
      '  DynamicForward 127.0.0.1:1081',
      '  SendEnv LANG LC_*',
      '  SendEnv -LC_*',
      '  SendEnv TZ',
      '  SetEnv A=1 B="two words"',
      '  SetEnv A=3 C=4',
      '  CertificateFile ~/.ssh/a-cert.pub',
    ].join('\n'),
    [SYS_CFG]: 'IdentityFile ~/.ssh/sys\nLocalForward 2222 db:22\n',
  };
  const c = resolve('srv', files, { user: 'bob', cliOptions: ['IdentityFile=/cli/key'] });
  assert.deepEqual(c.identityFiles, ['/cli/key', `${HOME}/.ssh/a`, `${HOME}/.ssh/b_al_bob@srv`, `${HOME}/.ssh/sys`]);
  assert.deepEqual(c.localForwards, [
    { listenPort: 8080, connectHost: 'localhost', connectPort: 80 },
    { listenHost: '::1', listenPort: 8443, connectHost: '2001:db8::1', connectPort: 443 },
    { listenPort: 2222, connectHost: 'db', connectPort: 22 },
  ]);
  assert.deepEqual(c.remoteForwards, [{ listenPort: 9000, connectHost: 'localhost', connectPort: 9000 }, { listenPort: 1080 }]);
  assert.deepEqual(c.dynamicForwards, [{ listenHost: '127.0.0.1', listenPort: 1081 }]);
  assert.deepEqual(c.sendEnv, ['LANG', 'TZ']);
  assert.deepEqual(c.setEnv, ['A=1', 'B=two words', 'C=4']);
  assert.deepEqual(c.certificateFiles, [`${HOME}/.ssh/a-cert.pub`]);
});

test('token expansion: %C, %p, %n, %l, ${VAR}, %%; unknown tokens name the line', () => {
  const files = {
    [USER_CFG]: 'Host *\n  ControlPath ~/.ssh/cm-%C\n  UserKnownHostsFile ${KH}/known_%n_%p %d/100%%\n  IdentityAgent ~/agent.%L\n',
  };
  const sha1Hex = (s: string) => createHash('sha1').update(s).digest('hex');
  const c = resolve('alias', files, { env: { KH: '/var/kh' }, cliOptions: ['HostName=real.example', 'Port=2022'] });
  assert.equal(c.controlPath, `${HOME}/.ssh/cm-${sha1Hex('box.lanreal.example2022al')}`);
  assert.deepEqual(c.userKnownHostsFiles, ['/var/kh/known_alias_2022', `${HOME}/100%`]);
  assert.equal(c.identityAgent, `${HOME}/agent.box`);
  assert.deepEqual([c.tokens.h, c.tokens.n, c.tokens.p, c.tokens.r, c.tokens.l], ['real.example', 'alias', '2022', 'al', 'box.lan']);
  const other = resolve('alias', files, { env: { KH: '/var/kh' }, cliOptions: ['HostName=other.example'] });
  assert.notEqual(other.controlPath, c.controlPath, '%C depends on the destination');
  assert.equal(errorOf('h', { [USER_CFG]: '\nIdentityFile ~/.ssh/id_%q\n' }), `${USER_CFG} line 2: unknown key %q`);
  assert.equal(errorOf('h', { [USER_CFG]: 'IdentityFile ${NOPE}/k\n' }), `${USER_CFG} line 1: env var \${NOPE} has no value`);
});

test('Include from ~/.ssh, globbed; Host inside an included file stays inside it', () => {
  const files = {
    [USER_CFG]: 'Include config.d/*\nHost *\n  User outer\n',
    [`${HOME}/.ssh/config.d/10-a`]: 'Host other\n  User wrong\n',
    [`${HOME}/.ssh/config.d/20-b`]: 'Port 2022\nHost srv\n  Include ~/.ssh/srv.conf\n',
    [`${HOME}/.ssh/srv.conf`]: 'Compression yes\n',
    [SYS_CFG]: 'Include sys.d/*.conf\n',
    ['/etc/tssh/sys.d/a.conf']: 'ConnectTimeout 7\n',
  };
  const c = resolve('srv', files);
  assert.deepEqual([c.port, c.user, c.compression, c.connectTimeout], [2022, 'outer', true, 7]);
  assert.equal(resolve('nope', files).compression, false, 'Include inside a non-matching Host is not applied');
  assert.equal(errorOf('h', { [SYS_CFG]: 'Include ~/x\n' }, { files: [USER_CFG, SYS_CFG] }), `${SYS_CFG} line 1: bad include path ~/x.`);
});

test('ProxyCommand and ProxyJump compete: the first wins', () => {
  const c = resolve('h', { [USER_CFG]: 'ProxyJump jump1,jump2:2222\nProxyCommand nc %h %p\n' });
  assert.deepEqual([c.proxyJump, c.proxyCommand, c.tokens.j], ['jump1,jump2:2222', undefined, 'jump1,jump2:2222']);
  const d = resolve('h', { [USER_CFG]: 'ProxyCommand ssh -W "%h:%p" gw\nProxyJump j\n' });
  assert.deepEqual([d.proxyCommand, d.proxyJump], ['ssh -W "%h:%p" gw', undefined]);
  const e = resolve('h', { [USER_CFG]: 'ProxyCommand none\nProxyJump j\n' });
  assert.deepEqual([e.proxyCommand, e.proxyJump], [undefined, undefined]);
});

test('value forms', () => {
  const c = resolve('h', {
    [USER_CFG]: [
      'RekeyLimit 1G 1h',
      'ConnectTimeout 1m',
      'ControlPersist 10m',
      'ControlMaster auto',
      'EscapeChar ^A',
      'AddKeysToAgent confirm 1h',
      'RequestTTY force',
      'PreferredAuthentications publickey,password',
      'UserKnownHostsFile none',
      'ForwardAgent $MY_AGENT',
      'PubkeyAuthentication host-bound',
      'ChallengeResponseAuthentication no',
      'AddressFamily inet6',
      'UpdateHostKeys ask',
      'Ciphers ^aes256-ctr',
    ].join('\r\n'),
  });
  assert.deepEqual(c.rekeyLimit, { bytes: 1073741824, seconds: 3600 });
  assert.equal(c.connectTimeout, 60);
  assert.equal(c.controlPersist, 600);
  assert.equal(c.controlMaster, 'auto');
  assert.equal(c.escapeChar, '\u0001');
  assert.deepEqual(c.addKeysToAgent, { mode: 'confirm', lifetime: 3600 });
  assert.equal(c.requestTty, 'force');
  assert.deepEqual(c.preferredAuthentications, ['publickey', 'password']);
  assert.deepEqual(c.userKnownHostsFiles, []);
  assert.equal(c.forwardAgent, '$MY_AGENT');
  assert.equal(c.pubkeyAuthentication, true);
  assert.equal(c.kbdInteractiveAuthentication, false);
  assert.equal(c.addressFamily, 'inet6');
  assert.equal(c.updateHostKeys, 'ask');
  assert.deepEqual(c.ciphers, { spec: '^aes256-ctr', file: USER_CFG, line: 15 });
  const g = formatSshConfig(c);
  for (const line of ['rekeylimit 1073741824 3600', 'escapechar ^A', 'userknownhostsfile none', 'ciphers ^aes256-ctr', 'hostname h']) {
    assert.ok(g.split('\n').includes(line), line);
  }
});

test('unknown keywords: error in lower case, even in inactive blocks, unless IgnoreUnknown', () => {
  assert.equal(errorOf('h', { [USER_CFG]: 'Host other\n  Frobnicate yes\n' }), `${USER_CFG} line 2: Bad configuration option: frobnicate`);
  const c = resolve('h', { [USER_CFG]: 'IgnoreUnknown Frob*,UseKeychain\nUseKeychain yes\nFrobnicate 1\nForwardX11 yes\n' });
  assert.deepEqual(c.unsupported, ['ForwardX11'], 'OpenSSH keywords tssh lacks are accepted and listed');
  assert.equal(errorOf('h', { [USER_CFG]: 'UseKeychain yes\nIgnoreUnknown UseKeychain\n' }), `${USER_CFG} line 1: Bad configuration option: usekeychain`);
});

test('error messages, exactly', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['Port abc\n', "line 1: Bad port 'abc'."],
    ['Port 0\n', "line 1: Bad port '0'."],
    ['StrictHostKeyChecking maybe\n', 'line 1: unsupported option "maybe".'],
    ['ConnectTimeout x\n', 'line 1: invalid time value.'],
    ['EscapeChar xy\n', 'line 1: Bad escape character.'],
    ['LocalForward 80\n', 'line 1: Missing target argument.'],
    ['LocalForward x y\n', 'line 1: Bad forwarding specification.'],
    ['DynamicForward x\n', 'line 1: Bad forwarding specification.'],
    ['SetEnv FOO\n', 'line 1: Invalid SetEnv.'],
    ['ControlPersist x\n', 'line 1: Bad ControlPersist argument.'],
    ['LogLevel x\n', "line 1: unsupported log level 'x'"],
    ['RekeyLimit 1G x\n', 'line 1: invalid time value.'],
    ['BindAddress a b\n', 'line 1: keyword BindAddress extra arguments at end of line'],
    ['Match exec "true"\n', 'line 1: Match exec is not supported'],
    ['Match foo\n', 'line 1: Unsupported Match attribute foo'],
    ['Match user\n', 'line 1: Missing Match criteria for user'],
    ['Match all host x\n', "line 1: 'all' cannot be combined with other Match attributes"],
    ['Host\n', 'line 1: missing argument.'],
    ['Compression delayed\n', 'line 1: unsupported option "delayed".'],
    ['HostName "x\n', 'line 1: unterminated quoted argument'],
  ];
  for (const [text, want] of cases) assert.equal(errorOf('h', { [USER_CFG]: text }), `${USER_CFG} ${want}`, text);
  assert.equal(errorOf('h', {}, { cliOptions: ['Port=22', 'Port=x'] }), "command-line line 1: Bad port 'x'.");
  assert.equal(errorOf('h', {}, { cliOptions: ['Host=x'] }), 'command-line line 0: Host directive not supported as a command-line option');
  assert.equal(errorOf('h', {}, { cliOptions: ['Frob=x'] }), 'command-line line 0: Bad configuration option: frob');
});

test('algorithm lists are checked against a catalog when one is given', () => {
  const algorithms = { macs: { defaults: ['hmac-sha2-256'], supported: ['hmac-sha2-256', 'hmac-sha1'] } };
  assert.equal(errorOf('h', { [USER_CFG]: 'MACs +hmac-md5\n' }, { algorithms }), `${USER_CFG} line 1: Bad SSH2 mac spec '+hmac-md5'.`);
  assert.match(formatSshConfig(resolve('h', { [USER_CFG]: 'MACs +hmac-sha1\n' }), algorithms), /^macs hmac-sha2-256,hmac-sha1$/m);
});

const FORWARDS: ReadonlyArray<readonly [string, 'local' | 'remote' | 'dynamic', object | undefined]> = [
  ['8080:localhost:80', 'local', { listenPort: 8080, connectHost: 'localhost', connectPort: 80 }],
  ['0.0.0.0:8080:web:80', 'local', { listenHost: '0.0.0.0', listenPort: 8080, connectHost: 'web', connectPort: 80 }],
  ['[::1]:8080:[fe80::1]:80', 'local', { listenHost: '::1', listenPort: 8080, connectHost: 'fe80::1', connectPort: 80 }],
  ['8080:/run/app.sock', 'local', { listenPort: 8080, connectPath: '/run/app.sock' }],
  ['/tmp/l.sock:/run/app.sock', 'local', { listenPath: '/tmp/l.sock', connectPath: '/run/app.sock' }],
  ['0:localhost:80', 'remote', { listenPort: 0, connectHost: 'localhost', connectPort: 80 }],
  ['0:localhost:80', 'local', undefined],
  ['8080:localhost:0', 'local', undefined],
  ['8080', 'local', undefined],
  ['8080', 'remote', { listenPort: 8080 }],
  ['host:8080', 'remote', { listenHost: 'host', listenPort: 8080 }],
  ['1080', 'dynamic', { listenPort: 1080 }],
  ['[::]:1080', 'dynamic', { listenHost: '::', listenPort: 1080 }],
  ['1080:x:80', 'dynamic', undefined],
  ['70000:x:80', 'local', undefined],
  ['a:b:c:d:e', 'local', undefined],
  ['[::1:8080:x:80', 'local', undefined],
];
for (const [spec, kind, want] of FORWARDS) {
  test(`forward ${kind} ${spec}`, () => assert.deepEqual(parseForwardSpec(spec, kind), want));
}
