export {
  SNTRUP761_CIPHERTEXT_BYTES,
  SNTRUP761_PUBLIC_KEY_BYTES,
  SNTRUP761_SECRET_KEY_BYTES,
  SNTRUP761_SHARED_SECRET_BYTES,
} from './params.js';
export {
  sntrup761Decapsulate,
  sntrup761Encapsulate,
  sntrup761KeyPair,
  type Sntrup761Encapsulation,
  type Sntrup761KeyPair,
} from './kem.js';
