// One side of an SSH connection driven by hand up to the first NEWKEYS: the identification line and unencrypted
// packets (RFC 4253 §4.2, §6) over a socket (or a program's stdout and stdin), so that a test can offer a KEXINIT
// of its choosing and read exactly what the program on the other side sends back.
import type { Readable, Writable } from 'node:stream';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import { PacketReader, PacketWriter, encodeKexInit, type KexInit } from '@tssh/ssh-protocol/transport';

export class PlainPeer {
  private readonly reader = new PacketReader();
  private readonly writer = new PacketWriter(systemRandom);
  private head = Buffer.alloc(0);
  private versionSeen = false;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(
    input: Readable,
    private readonly output: Writable = input as Readable & Writable,
  ) {
    input.on('data', (d: Buffer) => {
      if (this.versionSeen) this.reader.push(new Uint8Array(d));
      else this.head = Buffer.concat([this.head, d]);
      this.poke();
    });
    input.on('close', () => {
      this.ended = true;
      this.poke();
    });
    input.on('error', () => {});
    output.on('error', () => {});
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private waitForInput(): Promise<void> {
    return new Promise((r) => (this.wake = r));
  }

  sendVersion(line = 'SSH-2.0-PlainPeer_1.0'): void {
    this.output.write(`${line}\r\n`);
  }

  send(payload: Uint8Array): void {
    for (const piece of this.writer.write(payload)) this.output.write(piece);
  }

  /** The peer's identification line (lines before it are skipped). */
  async version(): Promise<string> {
    for (;;) {
      const text = this.head.toString('latin1');
      const m = /(?:^|\n)(SSH-[^\r\n]*)\r?\n/.exec(text);
      if (m) {
        this.versionSeen = true;
        const rest = this.head.subarray(m.index + m[0].length);
        this.head = Buffer.alloc(0);
        if (rest.length > 0) this.reader.push(new Uint8Array(rest));
        return m[1];
      }
      if (this.ended) throw new Error(`connection closed before an identification line: ${JSON.stringify(text)}`);
      await this.waitForInput();
    }
  }

  /** The next packet's payload, or undefined once the connection has ended. */
  async payload(): Promise<Uint8Array | undefined> {
    for (;;) {
      const p = this.reader.next();
      if (p) return p.payload;
      if (this.ended) return undefined;
      await this.waitForInput();
    }
  }
}

/** A KEXINIT with OpenSSH-like lists, `changes` applied (both directions share the cipher, MAC, compression lists). */
export function plainKexInit(changes: { kex?: string[]; hostKey?: string[]; ciphers?: string[]; macs?: string[] } = {}): Uint8Array {
  const ciphers = changes.ciphers ?? ['chacha20-poly1305@openssh.com', 'aes128-ctr'];
  const macs = changes.macs ?? ['hmac-sha2-256-etm@openssh.com'];
  const k: KexInit = {
    cookie: systemRandom(16),
    kex: changes.kex ?? ['curve25519-sha256'],
    hostKey: changes.hostKey ?? ['ssh-ed25519'],
    cipherC2S: ciphers,
    cipherS2C: ciphers,
    macC2S: macs,
    macS2C: macs,
    compressionC2S: ['none'],
    compressionS2C: ['none'],
    languageC2S: [],
    languageS2C: [],
    firstKexFollows: false,
  };
  return encodeKexInit(k);
}
