import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChannelOpenError,
  Connection,
  TerminalMode,
  decodeConnectionMessage,
  decodeForwardPort,
  decodeTerminalModes,
  encodeConnectionMessage,
  encodeForwardPort,
  encodeTerminalModes,
  execRequest,
  type ChannelRequest,
  type ConnectionMessage,
} from '@tssh/ssh-protocol/connection';
import { ChannelOpenFailure, DecodeError, MSG, ProtocolError, fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';
import { testEnv } from '../helpers/env.js';

const bytes = (s: string): Uint8Array => utf8(s);

const REQUESTS: ChannelRequest[] = [
  {
    kind: 'pty-req',
    term: 'xterm-256color',
    cols: 80,
    rows: 24,
    widthPx: 640,
    heightPx: 480,
    modes: encodeTerminalModes([[TerminalMode.ECHO, 1], [TerminalMode.TTY_OP_ISPEED, 38400]]),
  },
  { kind: 'x11-req', singleConnection: true, authProtocol: 'MIT-MAGIC-COOKIE-1', authCookie: '0a1b2c', screen: 0 },
  { kind: 'env', name: 'LANG', value: 'en_GB.UTF-8' },
  { kind: 'shell' },
  execRequest('ls -l /tmp && echo "ünïcode"'),
  { kind: 'subsystem', name: 'sftp' },
  { kind: 'window-change', cols: 132, rows: 43, widthPx: 0, heightPx: 0 },
  { kind: 'xon-xoff', clientCanDo: false },
  { kind: 'signal', signal: 'INT' },
  { kind: 'exit-status', status: 127 },
  { kind: 'exit-signal', signal: 'SEGV', coreDumped: true, message: 'Segmentation fault', language: 'en' },
  { kind: 'break', lengthMs: 500 },
  { kind: 'keepalive@openssh.com' },
  { kind: 'eow@openssh.com' },
  { kind: 'auth-agent-req@openssh.com' },
  { kind: 'unknown', name: 'custom@example.com', data: fromHex('0000000568656c6c6f01') },
];

const MESSAGES: ConnectionMessage[] = [
  { msg: MSG.GLOBAL_REQUEST, wantReply: true, request: { kind: 'tcpip-forward', address: '0.0.0.0', port: 8080 } },
  { msg: MSG.GLOBAL_REQUEST, wantReply: false, request: { kind: 'cancel-tcpip-forward', address: 'localhost', port: 0 } },
  { msg: MSG.GLOBAL_REQUEST, wantReply: true, request: { kind: 'unknown', name: 'keepalive@openssh.com', data: new Uint8Array(0) } },
  {
    msg: MSG.GLOBAL_REQUEST,
    wantReply: false,
    request: { kind: 'unknown', name: 'hostkeys-00@openssh.com', data: fromHex('000000037373680000000161') },
  },
  { msg: MSG.REQUEST_SUCCESS, data: new Uint8Array(0) },
  { msg: MSG.REQUEST_SUCCESS, data: encodeForwardPort(40123) },
  { msg: MSG.REQUEST_FAILURE },
  { msg: MSG.CHANNEL_OPEN, sender: 0, initialWindow: 2097152, maxPacket: 32768, open: { kind: 'session' } },
  {
    msg: MSG.CHANNEL_OPEN,
    sender: 7,
    initialWindow: 1,
    maxPacket: 0xffffffff,
    open: { kind: 'direct-tcpip', host: 'example.org', port: 443, originatorAddress: '127.0.0.1', originatorPort: 50000 },
  },
  {
    msg: MSG.CHANNEL_OPEN,
    sender: 2,
    initialWindow: 65536,
    maxPacket: 16384,
    open: {
      kind: 'forwarded-tcpip',
      connectedAddress: '0.0.0.0',
      connectedPort: 8080,
      originatorAddress: '192.0.2.1',
      originatorPort: 61000,
    },
  },
  { msg: MSG.CHANNEL_OPEN, sender: 3, initialWindow: 10, maxPacket: 10, open: { kind: 'x11', originatorAddress: '::1', originatorPort: 6010 } },
  {
    msg: MSG.CHANNEL_OPEN,
    sender: 4,
    initialWindow: 10,
    maxPacket: 10,
    open: { kind: 'unknown', type: 'direct-streamlocal@openssh.com', data: fromHex('000000042f746d70') },
  },
  { msg: MSG.CHANNEL_OPEN_CONFIRMATION, recipient: 1, sender: 9, initialWindow: 1000, maxPacket: 100, data: new Uint8Array(0) },
  { msg: MSG.CHANNEL_OPEN_CONFIRMATION, recipient: 1, sender: 9, initialWindow: 1000, maxPacket: 100, data: fromHex('beef') },
  {
    msg: MSG.CHANNEL_OPEN_FAILURE,
    recipient: 5,
    reason: ChannelOpenFailure.CONNECT_FAILED,
    description: 'connect failed: Connection refused',
    language: '',
  },
  { msg: MSG.CHANNEL_WINDOW_ADJUST, recipient: 1, bytes: 65536 },
  { msg: MSG.CHANNEL_DATA, recipient: 1, data: bytes('hello\n') },
  { msg: MSG.CHANNEL_DATA, recipient: 1, data: new Uint8Array(0) },
  { msg: MSG.CHANNEL_EXTENDED_DATA, recipient: 1, dataType: 1, data: bytes('oops\n') },
  { msg: MSG.CHANNEL_EOF, recipient: 0xffffffff },
  { msg: MSG.CHANNEL_CLOSE, recipient: 3 },
  ...REQUESTS.map((request, i): ConnectionMessage => ({ msg: MSG.CHANNEL_REQUEST, recipient: i, wantReply: i % 2 === 0, request })),
  { msg: MSG.CHANNEL_SUCCESS, recipient: 2 },
  { msg: MSG.CHANNEL_FAILURE, recipient: 2 },
];

function label(m: ConnectionMessage): string {
  if (m.msg === MSG.CHANNEL_REQUEST) return `CHANNEL_REQUEST ${m.request.kind === 'unknown' ? m.request.name : m.request.kind}`;
  const name = Object.entries(MSG).find(([k, v]) => v === m.msg && !k.startsWith('USERAUTH'))?.[0];
  if (m.msg === MSG.GLOBAL_REQUEST) return `${name} ${m.request.kind === 'unknown' ? m.request.name : m.request.kind}`;
  if (m.msg === MSG.CHANNEL_OPEN) return `${name} ${m.open.kind === 'unknown' ? m.open.type : m.open.kind}`;
  return `${name} ${toHex(encodeConnectionMessage(m)).slice(0, 24)}`;
}

/** Messages whose last field is raw "rest of message" data: a truncated or extended copy is still well formed. */
function endsWithRest(m: ConnectionMessage): boolean {
  return (
    m.msg === MSG.REQUEST_SUCCESS ||
    m.msg === MSG.CHANNEL_OPEN_CONFIRMATION ||
    (m.msg === MSG.GLOBAL_REQUEST && m.request.kind === 'unknown') ||
    (m.msg === MSG.CHANNEL_OPEN && m.open.kind === 'unknown') ||
    (m.msg === MSG.CHANNEL_REQUEST && m.request.kind === 'unknown')
  );
}

for (const m of MESSAGES) {
  test(`round trip: ${label(m)}`, () => {
    const wire = encodeConnectionMessage(m);
    assert.equal(wire[0], m.msg);
    assert.deepEqual(decodeConnectionMessage(wire), m);
  });
  if (endsWithRest(m)) continue;
  test(`truncated and trailing bytes refused: ${label(m)}`, () => {
    const wire = encodeConnectionMessage(m);
    for (let n = 1; n < wire.length; n++) {
      assert.throws(() => decodeConnectionMessage(wire.subarray(0, n)), DecodeError, `prefix of ${n} bytes`);
    }
    const longer = new Uint8Array(wire.length + 1);
    longer.set(wire);
    assert.throws(() => decodeConnectionMessage(longer), DecodeError);
  });
}

// Byte layouts written out by hand from RFC 4254.
const VECTORS: ReadonlyArray<readonly [string, ConnectionMessage, string]> = [
  [
    'CHANNEL_OPEN session (§6.1)',
    { msg: MSG.CHANNEL_OPEN, sender: 0, initialWindow: 0x200000, maxPacket: 0x8000, open: { kind: 'session' } },
    '5a 00000007 73657373696f6e 00000000 00200000 00008000',
  ],
  [
    'exit-status (§6.10)',
    { msg: MSG.CHANNEL_REQUEST, recipient: 3, wantReply: false, request: { kind: 'exit-status', status: 127 } },
    '62 00000003 0000000b 657869742d737461747573 00 0000007f',
  ],
  ['WINDOW_ADJUST (§5.2)', { msg: MSG.CHANNEL_WINDOW_ADJUST, recipient: 1, bytes: 0x10000 }, '5d 00000001 00010000'],
  ['EXTENDED_DATA stderr (§5.2)', { msg: MSG.CHANNEL_EXTENDED_DATA, recipient: 0, dataType: 1, data: bytes('e') }, '5f 00000000 00000001 00000001 65'],
  [
    'tcpip-forward (§7.1)',
    { msg: MSG.GLOBAL_REQUEST, wantReply: true, request: { kind: 'tcpip-forward', address: '', port: 22 } },
    '50 0000000d 74637069702d666f7277617264 01 00000000 00000016',
  ],
];

for (const [name, m, hex] of VECTORS) {
  test(`wire layout: ${name}`, () => {
    assert.equal(toHex(encodeConnectionMessage(m)), hex.replace(/ /g, ''));
    assert.deepEqual(decodeConnectionMessage(fromHex(hex)), m);
  });
}

test('message numbers outside RFC 4254 and empty payloads are protocol errors', () => {
  for (const n of [MSG.DISCONNECT, MSG.USERAUTH_REQUEST, 79, 101, 127, 128]) {
    assert.throws(() => decodeConnectionMessage(Uint8Array.of(n, 0, 0, 0, 0)), ProtocolError, `type ${n}`);
  }
  assert.throws(() => decodeConnectionMessage(new Uint8Array(0)), ProtocolError);
});

test('a request name that is not UTF-8 is refused', () => {
  assert.throws(() => decodeConnectionMessage(fromHex('62 00000000 00000002 c328 00')), DecodeError);
});

test('exec keeps the command bytes and reads them leniently as text', () => {
  const raw = fromHex('6c73 20 ff');
  const m = decodeConnectionMessage(
    encodeConnectionMessage({ msg: MSG.CHANNEL_REQUEST, recipient: 0, wantReply: true, request: execRequest(raw) }),
  );
  assert.ok(m.msg === MSG.CHANNEL_REQUEST && m.request.kind === 'exec');
  assert.equal(toHex(m.request.command), '6c7320ff');
  assert.equal(m.request.commandText, 'ls \ufffd');
});

test('a known request with malformed data is refused, an unknown one keeps it raw', () => {
  // `signal` with a uint32 instead of a string; `exit-status` with a byte too many.
  assert.throws(() => decodeConnectionMessage(fromHex('62 00000000 00000006 7369676e616c 00 00000009')), DecodeError);
  assert.throws(() => decodeConnectionMessage(fromHex('62 00000000 0000000b 657869742d737461747573 00 00000000 00')), DecodeError);
  const m = decodeConnectionMessage(fromHex('62 00000000 00000003 666f6f 01 010203'));
  assert.deepEqual(m, { msg: MSG.CHANNEL_REQUEST, recipient: 0, wantReply: true, request: { kind: 'unknown', name: 'foo', data: fromHex('010203') } });
});

test('terminal modes: encode, decode, stop at TTY_OP_END or an undefined opcode', () => {
  const modes = encodeTerminalModes([[TerminalMode.VINTR, 3], [TerminalMode.ICRNL, 1], [TerminalMode.TTY_OP_OSPEED, 9600]]);
  assert.equal(toHex(modes), '0100000003' + '2400000001' + '8100002580' + '00');
  assert.deepEqual(decodeTerminalModes(modes), [[1, 3], [36, 1], [129, 9600]]);
  assert.deepEqual(decodeTerminalModes(fromHex('3500000001 a0 ffffffff')), [[53, 1]]);
  assert.deepEqual(decodeTerminalModes(new Uint8Array(0)), []);
  assert.throws(() => decodeTerminalModes(fromHex('35000000')), DecodeError);
  assert.throws(() => encodeTerminalModes([[0, 1]]), RangeError);
  assert.throws(() => encodeTerminalModes([[160, 1]]), RangeError);
});

test('tcpip-forward reply port: present, absent, malformed', () => {
  assert.equal(decodeForwardPort(encodeForwardPort(2222)), 2222);
  assert.equal(decodeForwardPort(new Uint8Array(0)), undefined);
  assert.throws(() => decodeForwardPort(fromHex('000008')), DecodeError);
  assert.throws(() => decodeForwardPort(fromHex('0000080000')), DecodeError);
});

/** A Connection whose output is captured, for driving it with hand-made messages. */
function lone(): { conn: Connection; out: ConnectionMessage[] } {
  const out: ConnectionMessage[] = [];
  const conn = new Connection({ env: testEnv(), send: (p) => out.push(decodeConnectionMessage(p)), windowSize: 100, maxPacketSize: 10 });
  return { conn, out };
}

const feed = (conn: Connection, m: ConnectionMessage): void => conn.handle(encodeConnectionMessage(m));

test('messages for unknown or unopened channel ids are protocol errors', async () => {
  const { conn, out } = lone();
  for (const m of [
    { msg: MSG.CHANNEL_DATA, recipient: 0, data: bytes('x') },
    { msg: MSG.CHANNEL_EOF, recipient: 0 },
    { msg: MSG.CHANNEL_CLOSE, recipient: 0 },
    { msg: MSG.CHANNEL_WINDOW_ADJUST, recipient: 0, bytes: 1 },
    { msg: MSG.CHANNEL_SUCCESS, recipient: 0 },
    { msg: MSG.CHANNEL_OPEN_CONFIRMATION, recipient: 0, sender: 0, initialWindow: 1, maxPacket: 1, data: new Uint8Array(0) },
    { msg: MSG.CHANNEL_OPEN_FAILURE, recipient: 0, reason: 1, description: '', language: '' },
  ] satisfies ConnectionMessage[]) {
    assert.throws(() => feed(conn, m), ProtocolError, label(m));
  }
  // Channel 0 is being opened: only its open reply may name it.
  const opened = conn.openSession();
  assert.equal(out[0].msg, MSG.CHANNEL_OPEN);
  assert.throws(() => feed(conn, { msg: MSG.CHANNEL_DATA, recipient: 0, data: bytes('x') }), /not yet open/);
  feed(conn, { msg: MSG.CHANNEL_OPEN_CONFIRMATION, recipient: 0, sender: 42, initialWindow: 50, maxPacket: 5, data: new Uint8Array(0) });
  const ch = await opened;
  assert.equal(ch.remoteId, 42);
  assert.throws(
    () => feed(conn, { msg: MSG.CHANNEL_OPEN_CONFIRMATION, recipient: 0, sender: 1, initialWindow: 1, maxPacket: 1, data: new Uint8Array(0) }),
    /already open/,
  );
  assert.throws(() => feed(conn, { msg: MSG.CHANNEL_DATA, recipient: 1, data: bytes('x') }), /unknown channel 1/);
  // Unsolicited replies.
  assert.throws(() => feed(conn, { msg: MSG.CHANNEL_SUCCESS, recipient: 0 }), ProtocolError);
  assert.throws(() => feed(conn, { msg: MSG.REQUEST_FAILURE }), ProtocolError);
  // Not a connection-layer message at all.
  assert.throws(() => conn.handle(Uint8Array.of(MSG.IGNORE, 0, 0, 0, 0)), ProtocolError);
  assert.throws(() => conn.handle(new Uint8Array(0)), ProtocolError);
});

test('an open failure rejects with ChannelOpenError carrying reason and description', async () => {
  const { conn } = lone();
  const opened = conn.openChannel({ kind: 'direct-tcpip', host: 'h', port: 1, originatorAddress: 'o', originatorPort: 2 });
  feed(conn, { msg: MSG.CHANNEL_OPEN_FAILURE, recipient: 0, reason: ChannelOpenFailure.CONNECT_FAILED, description: 'refused', language: '' });
  await assert.rejects(opened, (e: unknown) => {
    assert.ok(e instanceof ChannelOpenError);
    assert.equal(e.reason, ChannelOpenFailure.CONNECT_FAILED);
    assert.equal(e.description, 'refused');
    assert.match(e.message, /connect failed: refused/);
    return true;
  });
  assert.equal(conn.channelCount, 0);
});

test('without a handler, opens are refused and requests fail', () => {
  const { conn, out } = lone();
  feed(conn, { msg: MSG.CHANNEL_OPEN, sender: 5, initialWindow: 10, maxPacket: 10, open: { kind: 'session' } });
  feed(conn, { msg: MSG.CHANNEL_OPEN, sender: 6, initialWindow: 10, maxPacket: 10, open: { kind: 'unknown', type: 'x@y', data: new Uint8Array(0) } });
  feed(conn, { msg: MSG.GLOBAL_REQUEST, wantReply: true, request: { kind: 'unknown', name: 'keepalive@openssh.com', data: new Uint8Array(0) } });
  feed(conn, { msg: MSG.GLOBAL_REQUEST, wantReply: false, request: { kind: 'tcpip-forward', address: '', port: 1 } });
  assert.deepEqual(out, [
    { msg: MSG.CHANNEL_OPEN_FAILURE, recipient: 5, reason: ChannelOpenFailure.ADMINISTRATIVELY_PROHIBITED, description: 'administratively prohibited', language: '' },
    { msg: MSG.CHANNEL_OPEN_FAILURE, recipient: 6, reason: ChannelOpenFailure.UNKNOWN_CHANNEL_TYPE, description: 'unknown channel type', language: '' },
    { msg: MSG.REQUEST_FAILURE },
  ]);
});
