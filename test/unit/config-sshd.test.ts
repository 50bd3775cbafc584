import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authorizedKeysPaths,
  checkUserAccess,
  ConfigError,
  formatSshdConfig,
  listenEndpoints,
  loadSshdConfig,
  memoryConfigFs,
  parseSshdConfig,
  resolveForConnection,
  type SshdParseOptions,
} from '@tssh/ssh-protocol/config';

const F = '/etc/tssh/sshd_config';
const parse = (text: string, opts: SshdParseOptions = {}) => parseSshdConfig(text, F, { fs: memoryConfigFs({}), ...opts });

function errorOf(text: string, opts: SshdParseOptions = {}): string {
  try {
    parse(text, opts);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail('no error');
}

test('defaults are OpenSSH defaults', () => {
  const c = parse('');
  assert.deepEqual(c.ports, [22]);
  assert.deepEqual(c.authorizedKeysFiles, ['.ssh/authorized_keys', '.ssh/authorized_keys2']);
  assert.equal(c.permitRootLogin, 'prohibit-password');
  assert.equal(c.maxAuthTries, 6);
  assert.equal(c.loginGraceTime, 120);
  assert.equal(c.logLevel, 'INFO');
  assert.deepEqual(c.maxStartups, { start: 10, rate: 30, full: 100 });
  assert.deepEqual(c.hostKeys, ['/etc/tssh/ssh_host_rsa_key', '/etc/tssh/ssh_host_ecdsa_key', '/etc/tssh/ssh_host_ed25519_key']);
  assert.deepEqual(listenEndpoints(c), [
    { host: '::', port: 22 },
    { host: '0.0.0.0', port: 22 },
  ]);
  assert.equal(parse('', { sysconfDir: '/tmp/st' }).hostKeys[2], '/tmp/st/ssh_host_ed25519_key');
});

test('the first value of a scalar wins; list keywords accumulate', () => {
  const c = parse(
    [
      'LogLevel VERBOSE',
      'loglevel DEBUG3',
      'PasswordAuthentication no',
      'PasswordAuthentication yes',
      'Port 2222',
      'Port 2223',
      'HostKey /k1',
      'HostKey /k2',
      'AllowUsers alice bob',
      'AllowUsers carol alice',
      'AcceptEnv LANG LC_*',
      'AcceptEnv TZ',
      'MaxAuthTries 3',
      'MaxAuthTries 9',
    ].join('\n'),
  );
  assert.equal(c.logLevel, 'VERBOSE');
  assert.equal(c.passwordAuthentication, false);
  assert.deepEqual(c.ports, [2222, 2223]);
  assert.deepEqual(c.hostKeys, ['/k1', '/k2']);
  assert.deepEqual(c.allowUsers, ['alice', 'bob', 'carol']);
  assert.deepEqual(c.acceptEnv, ['LANG', 'LC_*', 'TZ']);
  assert.equal(c.maxAuthTries, 3);
});

test('value forms', () => {
  const c = parse(
    [
      'PermitRootLogin without-password',
      'LoginGraceTime 1h30m',
      'ClientAliveInterval 2m',
      'RekeyLimit 1G 1h',
      'MaxStartups 5',
      'AuthorizedKeysFile .ssh/authorized_keys /etc/tssh/keys/%u',
      'AuthenticationMethods publickey,password keyboard-interactive:pam',
      'Subsystem sftp internal-sftp -l INFO',
      'Banner none',
      'PidFile none',
      'ForceCommand echo "forced  here"',
      'AllowTcpForwarding all',
      'Compression delayed',
      'PermitOpen localhost:80 [::1]:* *:443',
      'PermitUserEnvironment LANG,LC_*',
      'SyslogFacility local3',
      'ChallengeResponseAuthentication no',
      'KbdInteractiveAuthentication yes',
      'AddressFamily inet',
    ].join('\r\n'),
  );
  assert.equal(c.permitRootLogin, 'prohibit-password');
  assert.equal(c.loginGraceTime, 5400);
  assert.equal(c.clientAliveInterval, 120);
  assert.deepEqual(c.rekeyLimit, { bytes: 1073741824, seconds: 3600 });
  assert.deepEqual(c.maxStartups, { start: 5, rate: 30, full: 5 });
  assert.deepEqual(c.authorizedKeysFiles, ['.ssh/authorized_keys', '/etc/tssh/keys/%u']);
  assert.deepEqual(c.authenticationMethods, [['publickey', 'password'], ['keyboard-interactive:pam']]);
  assert.deepEqual(c.subsystems, [{ name: 'sftp', command: 'internal-sftp -l INFO' }]);
  assert.equal(c.banner, undefined);
  assert.equal(c.pidFile, undefined);
  assert.equal(c.forceCommand, 'echo "forced  here"');
  assert.equal(c.allowTcpForwarding, 'yes');
  assert.equal(c.compression, true);
  assert.deepEqual(c.permitOpen, [
    { host: 'localhost', port: 80 },
    { host: '::1', port: '*' },
    { host: '*', port: 443 },
  ]);
  assert.equal(c.permitUserEnvironment, 'LANG,LC_*');
  assert.equal(c.syslogFacility, 'LOCAL3');
  assert.equal(c.kbdInteractiveAuthentication, false, 'alias shares the first-wins slot');
  assert.deepEqual(listenEndpoints(c), [{ host: '0.0.0.0', port: 22 }]);
});

test('ListenAddress forms', () => {
  const c = parse(['Port 2200', 'Port 2201', 'ListenAddress 127.0.0.1', 'ListenAddress [::1]:2222', 'ListenAddress ::', 'ListenAddress h.example:99'].join('\n'));
  assert.deepEqual(listenEndpoints(c), [
    { host: '127.0.0.1', port: 2200 },
    { host: '127.0.0.1', port: 2201 },
    { host: '::1', port: 2222 },
    { host: '::', port: 2200 },
    { host: '::', port: 2201 },
    { host: 'h.example', port: 99 },
  ]);
  assert.equal(errorOf('ListenAddress [::1\n'), `${F} line 1: bad address:port usage`);
  assert.equal(errorOf('ListenAddress 1.2.3.4:x\n'), `${F} line 1: bad port number`);
});

test('error messages, exactly', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['Port 22\n\nFrobnicate yes\n', 'line 3: Bad configuration option: Frobnicate'],
    ['Port 99999\n', 'line 1: invalid port number'],
    ['Port abc\n', 'line 1: invalid port number'],
    ['Port 22 23\n', 'line 1: keyword Port extra arguments at end of line'],
    ['LoginGraceTime 2x\n', 'line 1: invalid time value.'],
    ['RekeyLimit 1X\n', "line 1: Bad RekeyLimit number '1X': Invalid argument"],
    ['RekeyLimit 8\n', 'line 1: RekeyLimit too small'],
    ['RekeyLimit 1G 2x\n', 'line 1: invalid time value.'],
    ['PermitRootLogin maybe\n', 'line 1: unsupported option "maybe".'],
    ['PasswordAuthentication true\n', 'line 1: unsupported option "true".'],
    ['LogLevel LOUD\n', "line 1: unsupported log level 'LOUD'"],
    ['MaxAuthTries x\n', 'line 1: MaxAuthTries integer value invalid.'],
    ['MaxSessions -1\n', 'line 1: MaxSessions integer value too small.'],
    ['MaxStartups 10:30\n', 'line 1: Invalid MaxStartups spec.'],
    ['SyslogFacility FOO\n', "line 1: unsupported log facility 'FOO'"],
    ['Subsystem sftp a\nSubsystem sftp b\n', "line 2: Subsystem 'sftp' already defined."],
    ['Subsystem sftp\n', 'line 1: Missing subsystem command.'],
    ['AuthenticationMethods any publickey\n', 'line 1: "any" must appear alone in AuthenticationMethods'],
    ['AuthenticationMethods publickey,foo\n', 'line 1: invalid AuthenticationMethods method list.'],
    ['PermitOpen foo\n', 'line 1: PermitOpen bad port number'],
    ['Ciphers aes128-ctr,,x\n', "line 1: Bad SSH2 cipher spec 'aes128-ctr,,x'."],
    ['Match User bob\nPort 22\n', "line 2: Directive 'Port' is not allowed within a Match block"],
    ['Match Foo x\n', 'line 1: Unsupported Match attribute Foo'],
    ['Match User\n', 'line 1: Missing Match criteria for User'],
    ['Match all User x\n', "line 1: 'all' cannot be combined with other Match attributes"],
    ['Match Address 1.2.3.4/40\n', "line 1: Invalid Match address argument '1.2.3.4/40'"],
    ['Match LocalPort x\n', "line 1: Invalid LocalPort 'x' on Match line"],
    ['Banner "x\n', 'line 1: unterminated quoted argument'],
  ];
  for (const [text, want] of cases) assert.equal(errorOf(text), `${F} ${want}`, text);
});

test('algorithm lists are kept as written and checked against a catalog', () => {
  const c = parse('Ciphers -aes*\nKexAlgorithms +diffie-hellman-group14-sha1\n');
  assert.deepEqual(c.ciphers, { spec: '-aes*', file: F, line: 1 });
  assert.equal(c.kexAlgorithms?.spec, '+diffie-hellman-group14-sha1');
  const algorithms = { ciphers: { defaults: ['aes128-ctr', 'aes256-ctr'], supported: ['aes128-ctr', 'aes256-ctr', 'aes128-cbc'] } };
  assert.equal(errorOf('Port 22\nCiphers +rot13\n', { algorithms }), `${F} line 2: Bad SSH2 cipher spec '+rot13'.`);
  const ok = parse('Ciphers ^aes128-cbc\n', { algorithms });
  assert.match(formatSshdConfig(ok, algorithms), /^ciphers aes128-cbc,aes128-ctr,aes256-ctr$/m);
});

test('Match blocks apply per connection and override global values', () => {
  const c = parse(
    [
      'PasswordAuthentication yes',
      'AllowUsers alice bob carol',
      'X11Forwarding no',
      'Match User bob',
      '  PasswordAuthentication no',
      '  AllowUsers bob',
      'Match Group admins Address 10.0.0.0/8,!10.66.0.0/16',
      '  X11Forwarding yes',
      '  PasswordAuthentication yes',
      'Match Host *.example.com LocalPort 2222',
      '  Banner /etc/banner',
      'Match All',
      '  MaxSessions 2',
    ].join('\n'),
  );
  assert.equal(c.passwordAuthentication, true);
  assert.equal(c.maxSessions, 10, 'Match blocks do not apply without a connection');
  const bob = resolveForConnection(c, { user: 'bob', host: 'x', address: '10.1.1.1', groups: ['admins'], localPort: 22 });
  assert.equal(bob.passwordAuthentication, false, 'first matching block wins');
  assert.deepEqual(bob.allowUsers, ['bob'], 'a list set in Match replaces the global one');
  assert.equal(bob.x11Forwarding, true);
  assert.equal(bob.maxSessions, 2);
  assert.equal(bob.banner, undefined);
  const carol = resolveForConnection(c, { user: 'carol', host: 'Pc.Example.com', address: '10.66.0.5', groups: ['admins'], localPort: 2222 });
  assert.equal(carol.x11Forwarding, false, 'negated address excludes');
  assert.equal(carol.passwordAuthentication, true);
  assert.equal(carol.banner, '/etc/banner');
  assert.deepEqual(carol.allowUsers, ['alice', 'bob', 'carol']);
  const again = resolveForConnection(bob, { user: 'carol', host: 'x', address: '1.2.3.4', groups: [] });
  assert.equal(again.passwordAuthentication, true, 'resolving keeps the global rules, not the previous result');
});

test('Include: relative to the including file, globbed, scoped inside Match', () => {
  const fs = memoryConfigFs({
    '/etc/tssh/sshd_config.d/20-late.conf': 'LogLevel DEBUG1\nPort 2002\n',
    '/etc/tssh/sshd_config.d/10-early.conf': 'LogLevel VERBOSE\nPort 2001\nMatch User dave\n  MaxSessions 1\n',
    '/etc/tssh/match.conf': 'X11Forwarding yes\n',
  });
  const c = parseSshdConfig(
    ['Include sshd_config.d/*.conf', 'LogLevel ERROR', 'MaxSessions 5', 'Match User eve', '  Include /etc/tssh/match.conf', '  Include nothing/*.conf'].join('\n'),
    F,
    { fs },
  );
  assert.equal(c.logLevel, 'VERBOSE');
  assert.deepEqual(c.ports, [2001, 2002]);
  assert.equal(c.maxSessions, 5, 'the Match in the included file ended with it');
  assert.equal(c.x11Forwarding, false);
  assert.equal(resolveForConnection(c, { user: 'eve' }).x11Forwarding, true);
  assert.equal(resolveForConnection(c, { user: 'dave' }).maxSessions, 1);
  assert.equal(resolveForConnection(c, { user: 'dave' }).x11Forwarding, false);
});

test('Include inside Match refuses directives not allowed there; recursion is bounded', () => {
  const fs = memoryConfigFs({ '/etc/tssh/port.conf': 'Port 22\n', '/etc/tssh/loop.conf': 'Include /etc/tssh/loop.conf\n' });
  assert.equal(errorOf('Match User x\nInclude port.conf\n', { fs }), "/etc/tssh/port.conf line 1: Directive 'Port' is not allowed within a Match block");
  assert.match(errorOf('Include loop.conf\n', { fs }), /^\/etc\/tssh\/loop\.conf line 1: Too many recursive configuration includes$/);
});

test('-o overrides come first and win, even over Match; their errors say command-line', () => {
  const c = parse('PasswordAuthentication yes\nPort 22\nMatch User bob\n PasswordAuthentication yes\n', {
    overrides: ['PasswordAuthentication=no', 'Port 2222'],
  });
  assert.equal(c.passwordAuthentication, false);
  assert.deepEqual(c.ports, [2222, 22]);
  assert.equal(resolveForConnection(c, { user: 'bob' }).passwordAuthentication, false);
  assert.equal(errorOf('', { overrides: ['Port=22', 'Port=x'] }), 'command-line line 1: invalid port number');
  assert.equal(errorOf('', { overrides: ['Frob=1'] }), 'command-line line 0: Bad configuration option: Frob');
  assert.equal(errorOf('', { overrides: ['Match=all'] }), 'command-line line 0: Match directive not supported as a command-line option');
});

test('loadSshdConfig reads through the injected fs', () => {
  const fs = memoryConfigFs({ '/srv/tssh/sshd_config': 'Port 2022\r\nInclude extra.conf\r\n', '/srv/tssh/extra.conf': 'UsePAM yes\n' });
  const c = loadSshdConfig('/srv/tssh/sshd_config', ['LogLevel=QUIET'], { fs });
  assert.deepEqual([c.ports, c.usePam, c.logLevel], [[2022], true, 'QUIET']);
  assert.throws(() => loadSshdConfig('/srv/tssh/missing', [], { fs }), { message: '/srv/tssh/missing: No such file or directory' });
});

test('formatSshdConfig prints sshd -T style lines', () => {
  const text = formatSshdConfig(parse('Port 2222\nListenAddress [::1]\nAllowUsers a b\nRekeyLimit 1G 1h\nSubsystem sftp internal-sftp\nLogLevel DEBUG\n'));
  for (const line of [
    'port 2222',
    'listenaddress [::1]:2222',
    'permitrootlogin without-password',
    'allowusers a',
    'allowusers b',
    'rekeylimit 1073741824 3600',
    'subsystem sftp internal-sftp',
    'loglevel DEBUG',
    'authorizedkeysfile .ssh/authorized_keys .ssh/authorized_keys2',
    'maxstartups 10:30:100',
    'logingracetime 120',
  ]) {
    assert.ok(text.split('\n').includes(line), line);
  }
  assert.ok(!/ciphers/.test(text), 'no algorithm line without a spec or a catalog');
});

test('AllowUsers / DenyUsers / groups, with OpenSSH reasons', () => {
  const cfg = { allowUsers: ['alice', 'bob@10.0.0.0/8', 'carol@*.example.com'], denyUsers: ['mallory'], allowGroups: [], denyGroups: ['banned'] };
  const req = (user: string, address = '10.1.1.1', host = address, groups = ['users']) => ({ user, address, host, groups });
  assert.deepEqual(checkUserAccess(cfg, req('alice')), { allowed: true });
  assert.deepEqual(checkUserAccess(cfg, req('bob')), { allowed: true });
  assert.equal(checkUserAccess(cfg, req('bob', '192.168.1.1')).allowed, false);
  assert.equal(checkUserAccess(cfg, req('carol', '1.2.3.4', 'pc.example.com')).allowed, true);
  assert.deepEqual(checkUserAccess(cfg, req('mallory')), {
    allowed: false,
    reason: 'User mallory from 10.1.1.1 not allowed because listed in DenyUsers',
  });
  assert.deepEqual(checkUserAccess(cfg, req('zed')), {
    allowed: false,
    reason: 'User zed from 10.1.1.1 not allowed because not listed in AllowUsers',
  });
  assert.equal(
    checkUserAccess(cfg, req('alice', '10.1.1.1', '10.1.1.1', ['users', 'banned'])).allowed === false,
    true,
  );
  const groups = { allowUsers: [], denyUsers: [], allowGroups: ['wheel', 'ssh-*'], denyGroups: [] };
  assert.equal(checkUserAccess(groups, req('a', '1.1.1.1', 'h', ['ssh-users'])).allowed, true);
  assert.deepEqual(checkUserAccess(groups, req('a', '1.1.1.1', 'h', ['users'])), {
    allowed: false,
    reason: "User a from h not allowed because none of user's groups are listed in AllowGroups",
  });
});

test('authorized keys paths expand tokens and are relative to home', () => {
  const cfg = parse('AuthorizedKeysFile .ssh/authorized_keys /etc/tssh/keys/%u %h/extra_%U %%lit\n');
  assert.deepEqual(authorizedKeysPaths(cfg, { name: 'al', home: '/home/al', uid: 1001 }), [
    '/home/al/.ssh/authorized_keys',
    '/etc/tssh/keys/al',
    '/home/al/extra_1001',
    '/home/al/%lit',
  ]);
});
