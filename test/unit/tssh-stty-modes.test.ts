// The local terminal's modes for pty-req, read from `stty -a` (GNU coreutils and BSD formats).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TerminalMode as M } from '@tssh/ssh-protocol/connection';
import { parseSttyAll, parseSttyCharacter } from '@tssh/ssh/dist/stty-modes.js';

/** `stty -a` of a node-pty terminal under Linux (GNU coreutils 9.1), intr changed to ^B and ixany set. */
const GNU = `speed 38400 baud; rows 24; columns 80; line = 0;
intr = ^B; quit = ^\\; erase = ^?; kill = ^U; eof = ^D; eol = M-^?; eol2 = <undef>;
swtch = <undef>; start = ^Q; stop = ^S; susp = ^Z; rprnt = ^R; werase = ^W;
lnext = ^V; discard = ^O; min = 1; time = 0;
-parenb -parodd -cmspar cs8 hupcl -cstopb cread -clocal -crtscts
-ignbrk brkint -ignpar -parmrk -inpck -istrip -inlcr -igncr icrnl ixon -ixoff
-iuclc ixany imaxbel iutf8
opost -olcuc -ocrnl onlcr -onocr -onlret -ofill -ofdel nl0 cr0 tab0 bs0 vt0 ff0
isig icanon iexten echo echoe echok -echonl -noflsh -xcase -tostop -echoprt
echoctl echoke -flusho -extproc
`;

/** macOS / FreeBSD shape. */
const BSD = `speed 9600 baud; 24 rows; 80 columns;
lflags: icanon isig iexten echo echoe -echok echoke -echonl echoctl
	-echoprt -altwerase -noflsh -tostop -flusho pendin -nokerninfo
	-extproc
iflags: -istrip icrnl -inlcr -igncr ixon -ixoff ixany imaxbel iutf8
	-ignbrk brkint -inpck -ignpar -parmrk
oflags: opost onlcr -oxtabs -onocr -onlret
cflags: cread cs7 parenb -parodd hupcl -clocal -cstopb -crtscts -dsrflow
	-dtrflow -mdmbuf
cchars: discard = ^O; dsusp = ^Y; eof = ^D; eol = <undef>;
	eol2 = <undef>; erase = ^?; intr = ^C; kill = ^U; lnext = ^V;
	min = 1; quit = ^\\; reprint = ^R; start = ^Q; status = ^T;
	stop = ^S; susp = ^Z; time = 0; werase = ^W;
`;

test('control characters in stty notation', () => {
  const cases: Array<[string, number | undefined]> = [
    ['^C', 3], ['^?', 127], ['^@', 0], ['^\\', 28], ['^]', 29], ['M-^?', 255], ['M-^C', 131], ['M-a', 0xe1],
    ['a', 97], [';', 59], ['<undef>', 255], ['undef', 255], ['^1', undefined], ['abc', undefined],
  ];
  for (const [text, want] of cases) assert.equal(parseSttyCharacter(text), want, text);
});

test('GNU stty -a: characters, flags, cs8, both speeds', () => {
  const modes = new Map(parseSttyAll(GNU));
  assert.equal(modes.get(M.VINTR), 2);
  assert.equal(modes.get(M.VQUIT), 28);
  assert.equal(modes.get(M.VERASE), 127);
  assert.equal(modes.get(M.VEOL), 255);
  assert.equal(modes.get(M.VEOL2), 255);
  assert.equal(modes.get(M.VDISCARD), 15);
  assert.equal(modes.get(M.VREPRINT), 18);
  assert.equal(modes.get(M.IXANY), 1);
  assert.equal(modes.get(M.IXOFF), 0);
  assert.equal(modes.get(M.ICANON), 1);
  assert.equal(modes.get(M.ECHONL), 0);
  assert.equal(modes.get(M.XCASE), 0);
  assert.equal(modes.get(M.IUTF8), 1);
  assert.equal(modes.get(M.PARENB), 0);
  assert.equal(modes.get(M.CS8), 1);
  assert.equal(modes.get(M.CS7), 0);
  assert.equal(modes.get(M.TTY_OP_ISPEED), 38400);
  assert.equal(modes.get(M.TTY_OP_OSPEED), 38400);
  assert.equal(modes.has(M.VSWTCH), false, 'swtch is not sent (Linux has no VSWTCH)');
  // 14 characters (Linux has no dsusp or status; swtch is not sent), 34 flags less pendin, 2 sizes, 2 speeds.
  assert.equal(modes.size, 14 + 33 + 2 + 2);
});

test('BSD stty -a: the same names in another layout', () => {
  const modes = new Map(parseSttyAll(BSD));
  assert.equal(modes.get(M.VDSUSP), 25);
  assert.equal(modes.get(M.VSTATUS), 20);
  assert.equal(modes.get(M.VREPRINT), 18);
  assert.equal(modes.get(M.PENDIN), 1);
  assert.equal(modes.get(M.PARENB), 1);
  assert.equal(modes.get(M.CS7), 1);
  assert.equal(modes.get(M.CS8), 0);
  assert.equal(modes.get(M.ECHOK), 0);
  assert.equal(modes.get(M.TTY_OP_ISPEED), 9600);
});

test('different input and output speeds; nothing from text that is not stty output', () => {
  const modes = new Map(parseSttyAll('ispeed 9600 baud; ospeed 38400 baud; rows 1; columns 1;\n-icanon\n'));
  assert.equal(modes.get(M.TTY_OP_ISPEED), 9600);
  assert.equal(modes.get(M.TTY_OP_OSPEED), 38400);
  assert.equal(modes.get(M.ICANON), 0);
  assert.deepEqual(parseSttyAll('stty: standard input: Inappropriate ioctl for device\n'), []);
});
