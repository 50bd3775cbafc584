import { Deflate, Inflate, Z_SYNC_FLUSH } from 'pako';
import { DisconnectReason, SshError, concatBytes } from '../wire/index.js';
import { MAX_PACKET_LENGTH } from './ciphers/index.js';

// RFC 4253 §6.2: zlib (RFC 1950) over the payload, one stream per direction for the whole connection, each packet
// ended with a sync flush. `zlib@openssh.com` (OpenSSH PROTOCOL §1.2) starts only once the user is authenticated.

export const COMPRESSION_METHODS: readonly string[] = Object.freeze(['none', 'zlib@openssh.com', 'zlib']);

export class CompressionError extends SshError {
  override name = 'CompressionError';
  constructor(message: string) {
    super(DisconnectReason.COMPRESSION_ERROR, message);
  }
}

/** Whether a method compresses from NEWKEYS on (`zlib`) or only after USERAUTH_SUCCESS (`zlib@openssh.com`). */
export function compressionStart(method: string): 'never' | 'now' | 'after-auth' {
  if (method === 'zlib') return 'now';
  if (method === 'zlib@openssh.com') return 'after-auth';
  return 'never';
}

export class PayloadCompressor {
  private readonly deflate = new Deflate({ level: 6 });
  private out: Uint8Array[] = [];

  constructor() {
    this.deflate.onData = (chunk: Uint8Array) => this.out.push(chunk);
  }

  compress(payload: Uint8Array): Uint8Array {
    this.deflate.push(payload, Z_SYNC_FLUSH);
    if (this.deflate.err) throw new CompressionError(`compression failed: ${this.deflate.msg}`);
    const parts = this.out;
    this.out = [];
    return parts.length === 1 ? parts[0] : concatBytes(...parts);
  }
}

export class PayloadDecompressor {
  private readonly inflate = new Inflate();
  private out: Uint8Array[] = [];
  private size = 0;

  constructor() {
    this.inflate.onData = (chunk: Uint8Array) => {
      this.size += chunk.length;
      // A packet may not inflate past the largest packet we accept (a decompression bomb is an error).
      if (this.size > MAX_PACKET_LENGTH) throw new CompressionError('decompressed packet too large');
      this.out.push(chunk);
    };
  }

  decompress(payload: Uint8Array): Uint8Array {
    this.size = 0;
    this.inflate.push(payload, Z_SYNC_FLUSH);
    if (this.inflate.err) throw new CompressionError(`decompression failed: ${this.inflate.msg}`);
    const parts = this.out;
    this.out = [];
    if (parts.length === 0) throw new CompressionError('compressed packet inflated to nothing');
    return parts.length === 1 ? parts[0] : concatBytes(...parts);
  }
}

/** Both directions' compression for one connection, with zlib@openssh.com's wait for authentication. */
export class CompressionState {
  private compressor?: PayloadCompressor;
  private decompressor?: PayloadDecompressor;
  private readonly delayed = { out: false, in: false };
  private authenticated = false;

  /** RFC 4253 §6.2: compression starts with the first packet after NEWKEYS and runs on across re-exchanges. */
  enable(direction: 'out' | 'in', method: string): void {
    const start = compressionStart(method);
    if (start === 'never') return;
    if (start === 'after-auth' && !this.authenticated) {
      this.delayed[direction] = true;
      return;
    }
    if (direction === 'out') this.compressor ??= new PayloadCompressor();
    else this.decompressor ??= new PayloadDecompressor();
  }

  startDelayed(): void {
    this.authenticated = true;
    if (this.delayed.out) this.compressor ??= new PayloadCompressor();
    if (this.delayed.in) this.decompressor ??= new PayloadDecompressor();
  }

  /** Whether outgoing payloads are compressed now. */
  get compressing(): boolean {
    return this.compressor !== undefined;
  }

  compress(payload: Uint8Array): Uint8Array {
    return this.compressor ? this.compressor.compress(payload) : payload;
  }

  decompress(payload: Uint8Array): Uint8Array {
    return this.decompressor ? this.decompressor.decompress(payload) : payload;
  }
}
