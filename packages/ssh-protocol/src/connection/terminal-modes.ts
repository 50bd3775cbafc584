// RFC 4254 §8 encoded terminal modes: (opcode byte, uint32 argument)* ending with TTY_OP_END.
import { SshReader, SshWriter } from '../wire/index.js';

/** RFC 4254 §8 opcodes, plus RFC 8160's IUTF8. */
export const TerminalMode = Object.freeze({
  TTY_OP_END: 0,
  VINTR: 1,
  VQUIT: 2,
  VERASE: 3,
  VKILL: 4,
  VEOF: 5,
  VEOL: 6,
  VEOL2: 7,
  VSTART: 8,
  VSTOP: 9,
  VSUSP: 10,
  VDSUSP: 11,
  VREPRINT: 12,
  VWERASE: 13,
  VLNEXT: 14,
  VFLUSH: 15,
  VSWTCH: 16,
  VSTATUS: 17,
  VDISCARD: 18,
  IGNPAR: 30,
  PARMRK: 31,
  INPCK: 32,
  ISTRIP: 33,
  INLCR: 34,
  IGNCR: 35,
  ICRNL: 36,
  IUCLC: 37,
  IXON: 38,
  IXANY: 39,
  IXOFF: 40,
  IMAXBEL: 41,
  IUTF8: 42,
  ISIG: 50,
  ICANON: 51,
  XCASE: 52,
  ECHO: 53,
  ECHOE: 54,
  ECHOK: 55,
  ECHONL: 56,
  NOFLSH: 57,
  TOSTOP: 58,
  IEXTEN: 59,
  ECHOCTL: 60,
  ECHOKE: 61,
  PENDIN: 62,
  OPOST: 70,
  OLCUC: 71,
  ONLCR: 72,
  OCRNL: 73,
  ONOCR: 74,
  ONLRET: 75,
  CS7: 90,
  CS8: 91,
  PARENB: 92,
  PARODD: 93,
  TTY_OP_ISPEED: 128,
  TTY_OP_OSPEED: 129,
} as const);

/** Opcodes 160..255 are undefined and stop parsing (RFC 4254 §8). */
const FIRST_UNDEFINED_OPCODE = 160;

/** Decodes terminal modes in wire order; a later value for the same opcode wins in a Map built from it. */
export function decodeTerminalModes(modes: Uint8Array): Array<[opcode: number, value: number]> {
  const r = new SshReader(modes, 'terminal modes');
  const out: Array<[number, number]> = [];
  while (r.remaining > 0) {
    const op = r.byte();
    if (op === TerminalMode.TTY_OP_END || op >= FIRST_UNDEFINED_OPCODE) break;
    out.push([op, r.u32()]);
  }
  return out;
}

export function encodeTerminalModes(modes: Iterable<readonly [opcode: number, value: number]>): Uint8Array {
  const w = new SshWriter();
  for (const [op, value] of modes) {
    if (!Number.isInteger(op) || op <= TerminalMode.TTY_OP_END || op >= FIRST_UNDEFINED_OPCODE) {
      throw new RangeError(`invalid terminal mode opcode ${op}`);
    }
    w.byte(op).u32(value);
  }
  return w.byte(TerminalMode.TTY_OP_END).toBytes();
}
