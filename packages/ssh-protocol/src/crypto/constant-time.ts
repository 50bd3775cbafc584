import { timingSafeEqual } from 'node:crypto';

/** Compare two byte strings without leaking where they differ. Different lengths compare unequal. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
