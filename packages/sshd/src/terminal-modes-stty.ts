// RFC 4254 §8 encoded terminal modes as stty(1) operands, for the helper that applies them on the session's
// own terminal (node-pty cannot set termios). Only operands GNU stty accepts on Linux are produced, so that one
// unknown mode never makes stty refuse the whole list; modes Linux lacks (DSUSP, STATUS, PENDIN...) are skipped.
import { TerminalMode as M, decodeTerminalModes } from '@tssh/ssh-protocol/connection';

const CHARACTERS: ReadonlyMap<number, string> = new Map([
  [M.VINTR, 'intr'], [M.VQUIT, 'quit'], [M.VERASE, 'erase'], [M.VKILL, 'kill'], [M.VEOF, 'eof'],
  [M.VEOL, 'eol'], [M.VEOL2, 'eol2'], [M.VSTART, 'start'], [M.VSTOP, 'stop'], [M.VSUSP, 'susp'],
  [M.VREPRINT, 'rprnt'], [M.VWERASE, 'werase'], [M.VLNEXT, 'lnext'], [M.VSWTCH, 'swtch'], [M.VDISCARD, 'discard'],
]);

const FLAGS: ReadonlyMap<number, string> = new Map([
  [M.IGNPAR, 'ignpar'], [M.PARMRK, 'parmrk'], [M.INPCK, 'inpck'], [M.ISTRIP, 'istrip'], [M.INLCR, 'inlcr'],
  [M.IGNCR, 'igncr'], [M.ICRNL, 'icrnl'], [M.IUCLC, 'iuclc'], [M.IXON, 'ixon'], [M.IXANY, 'ixany'],
  [M.IXOFF, 'ixoff'], [M.IMAXBEL, 'imaxbel'], [M.IUTF8, 'iutf8'], [M.ISIG, 'isig'], [M.ICANON, 'icanon'],
  [M.XCASE, 'xcase'], [M.ECHO, 'echo'], [M.ECHOE, 'echoe'], [M.ECHOK, 'echok'], [M.ECHONL, 'echonl'],
  [M.NOFLSH, 'noflsh'], [M.TOSTOP, 'tostop'], [M.IEXTEN, 'iexten'], [M.ECHOCTL, 'echoctl'], [M.ECHOKE, 'echoke'],
  [M.OPOST, 'opost'], [M.OLCUC, 'olcuc'], [M.ONLCR, 'onlcr'], [M.OCRNL, 'ocrnl'], [M.ONOCR, 'onocr'],
  [M.ONLRET, 'onlret'], [M.PARENB, 'parenb'], [M.PARODD, 'parodd'],
]);

/** Character sizes are set, never cleared, by stty ("cs8"; there is no "-cs8"). */
const SIZES: ReadonlyMap<number, string> = new Map([[M.CS7, 'cs7'], [M.CS8, 'cs8']]);

const SPEEDS = new Set([
  0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400,
  460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000,
]);

/** RFC 4254 §8: 255 disables a character; stty takes it as "undef", other values in hex ("0x03"). */
function characterOperand(value: number): string | undefined {
  if (value === 255) return 'undef';
  if (value > 255) return undefined;
  return `0x${value.toString(16).padStart(2, '0')}`;
}

/** stty operands for the modes of a pty-req, in wire order; a malformed mode string gives none (the terminal keeps its defaults). */
export function sttyOperands(modes: Uint8Array): string[] {
  let decoded: Array<[number, number]>;
  try {
    decoded = decodeTerminalModes(modes);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const [op, value] of decoded) {
    const char = CHARACTERS.get(op);
    const flag = FLAGS.get(op);
    const size = SIZES.get(op);
    if (char !== undefined) {
      const operand = characterOperand(value);
      if (operand !== undefined) out.push(char, operand);
    } else if (flag !== undefined) {
      out.push(value ? flag : `-${flag}`);
    } else if (size !== undefined) {
      if (value) out.push(size);
    } else if ((op === M.TTY_OP_ISPEED || op === M.TTY_OP_OSPEED) && SPEEDS.has(value)) {
      out.push(op === M.TTY_OP_ISPEED ? 'ispeed' : 'ospeed', String(value));
    }
  }
  return out;
}
