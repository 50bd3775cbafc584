// Open file and directory handles. §6: handles are opaque strings of at most 256 bytes, and "the server MUST
// perform adequate checks on the handle": every lookup is by exact string, and a handle is never reused, so a
// closed or forged one finds nothing.
import { FX, SFTP_MAX_HANDLE_LENGTH } from './constants.js';
import type { OpenMode, SftpOpenDir, SftpOpenFile } from './file-system.js';
import { SftpStatusError } from './status-errors.js';

export type OpenHandle = FileHandleEntry | DirHandleEntry;
export interface FileHandleEntry {
  kind: 'file';
  file: SftpOpenFile;
  path: string;
  mode: OpenMode;
  bytesRead: number;
  bytesWritten: number;
}
export interface DirHandleEntry {
  kind: 'dir';
  dir: SftpOpenDir;
  path: string;
}

/** SFTP v3 has no SSH_FX_INVALID_HANDLE: OpenSSH answers FAILURE. */
export const invalidHandle = (): SftpStatusError => new SftpStatusError(FX.FAILURE, 'Invalid handle');

/** A handle's bytes as a map key (one char per byte, so any byte string has exactly one key). */
export function handleKey(handle: Uint8Array): string {
  return String.fromCharCode(...handle.subarray(0, SFTP_MAX_HANDLE_LENGTH + 1));
}

export class HandleTable {
  private readonly open = new Map<string, OpenHandle>();
  private counter = 0;
  private reserved = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.open.size;
  }

  /** Takes a slot for an open in progress; false when the table (with slots taken) is full. */
  reserve(): boolean {
    if (this.open.size + this.reserved >= this.max) return false;
    this.reserved++;
    return true;
  }

  /** Gives back a slot whose open failed. */
  release(): void {
    this.reserved--;
  }

  /** Fills a reserved slot; returns the new handle. */
  add(entry: OpenHandle): Uint8Array {
    this.reserved--;
    const name = String(++this.counter);
    this.open.set(name, entry);
    return new TextEncoder().encode(name);
  }

  get(handle: Uint8Array): OpenHandle | undefined {
    if (handle.length > SFTP_MAX_HANDLE_LENGTH) return undefined;
    return this.open.get(handleKey(handle));
  }

  /** An open file's entry, or an "Invalid handle" failure. */
  file(handle: Uint8Array): FileHandleEntry {
    const h = this.get(handle);
    if (h?.kind !== 'file') throw invalidHandle();
    return h;
  }

  /** An open directory's entry, or an "Invalid handle" failure (§6.7: READDIR takes OPENDIR's handles only). */
  dir(handle: Uint8Array): DirHandleEntry {
    const h = this.get(handle);
    if (h?.kind !== 'dir') throw invalidHandle();
    return h;
  }

  /** §6.3: the handle is invalid from the moment CLOSE is processed. */
  remove(handle: Uint8Array): OpenHandle | undefined {
    const entry = this.get(handle);
    if (entry) this.open.delete(handleKey(handle));
    return entry;
  }

  /** Empties the table (the session is over), returning what was open. */
  removeAll(): OpenHandle[] {
    const all = [...this.open.values()];
    this.open.clear();
    return all;
  }
}
