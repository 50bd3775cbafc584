// ssh's escape sequences (clientloop.c process_escapes), sans-IO: keys typed in a pty session go through here
// on their way to the server. The escape character (EscapeChar, `-e`; `~` by default) is special only right
// after a newline or CR, or at the start of the session; the key after it picks a command. Implemented:
//   ~.  disconnect         ~B  send a BREAK        ~R  rekey         ~V / ~v  less / more verbose
//   ~^Z suspend tssh       ~?  list the escapes    ~~  send one ~
// Not implemented: ~C (command line; OpenSSH 9.2 has it off by default), ~# and ~& (there is no port
// forwarding to list or wait for): those keys, like any other, send the escape character and themselves.

export type EscapeCommand = 'disconnect' | 'break' | 'rekey' | 'less-verbose' | 'more-verbose' | 'suspend' | 'help';

export type EscapeAction = { readonly kind: 'data'; readonly bytes: Uint8Array } | { readonly kind: 'command'; readonly command: EscapeCommand };

const CTRL_Z = 0x1a;
const COMMANDS: ReadonlyMap<number, EscapeCommand> = new Map([
  [0x2e, 'disconnect'], // .
  [0x42, 'break'], // B
  [0x52, 'rekey'], // R
  [0x56, 'less-verbose'], // V
  [0x76, 'more-verbose'], // v
  [CTRL_Z, 'suspend'],
  [0x3f, 'help'], // ?
]);

/** `escapeChar` as one byte (a character above U+00FF is taken modulo 256, as ssh's u_char would). */
export class EscapeFilter {
  private readonly escape: number;
  private afterNewline = true;
  private pending = false;

  constructor(escapeChar: string) {
    this.escape = escapeChar.charCodeAt(0) & 0xff;
  }

  /** The keys of one read, split into bytes for the server and commands, in order. */
  feed(input: Uint8Array): EscapeAction[] {
    const actions: EscapeAction[] = [];
    let out: number[] = [];
    const flush = (): void => {
      if (out.length > 0) actions.push({ kind: 'data', bytes: Uint8Array.from(out) });
      out = [];
    };
    for (const ch of input) {
      if (this.pending) {
        this.pending = false;
        const command = COMMANDS.get(ch);
        if (command !== undefined) {
          flush();
          actions.push({ kind: 'command', command });
          continue; // still right after the newline: another escape may follow
        }
        if (ch !== this.escape) out.push(this.escape);
      } else if (this.afterNewline && ch === this.escape) {
        this.pending = true;
        continue;
      }
      this.afterNewline = ch === 0x0d || ch === 0x0a;
      out.push(ch);
    }
    flush();
    return actions;
  }

  /** ssh's `~?` text, for the escape character in use; lines end with CR LF (the terminal is raw). */
  help(): string {
    const e = String.fromCharCode(this.escape);
    return [
      `${e}?`,
      'Supported escape sequences:',
      ` ${e}.   - terminate connection`,
      ` ${e}B   - send a BREAK to the remote system`,
      ` ${e}R   - request rekey`,
      ` ${e}V/v - decrease/increase verbosity (LogLevel)`,
      ` ${e}^Z  - suspend ssh`,
      ` ${e}?   - this message`,
      ` ${e}${e}   - send the escape character by typing it twice`,
      '(Note that escapes are only recognized immediately after newline.)',
      '',
    ].join('\r\n');
  }

  /** What ssh echoes for a command that says something: `~^Z [suspend ssh]`, `~v [LogLevel DEBUG1]`. */
  echo(command: EscapeCommand, detail = ''): string {
    const e = String.fromCharCode(this.escape);
    switch (command) {
      case 'suspend':
        return `${e}^Z [suspend ssh]\r\n`;
      case 'less-verbose':
        return `${e}V [LogLevel ${detail}]\r\n`;
      case 'more-verbose':
        return `${e}v [LogLevel ${detail}]\r\n`;
      default:
        return '';
    }
  }
}
