// Base64 (RFC 4648 §4) as key files and key lines use it. Node's decoder skips bad characters silently, so
// the text is checked first: only the alphabet, padding only at the end, and a length that decodes exactly.
const STRICT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decode base64 text; undefined when it is not canonical base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!STRICT.test(text)) return undefined;
  const buf = Buffer.from(text, 'base64');
  const out = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  // Non-zero bits in the unused tail of the last character mean another encoder would write it differently.
  if (encodeBase64(out) !== text) return undefined;
  return out;
}

export function encodeBase64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}
