// Message numbers: RFC 4250 §4.1, RFC 8308 (EXT_INFO), RFC 4256 (keyboard-interactive).
export const MSG = Object.freeze({
  DISCONNECT: 1,
  IGNORE: 2,
  UNIMPLEMENTED: 3,
  DEBUG: 4,
  SERVICE_REQUEST: 5,
  SERVICE_ACCEPT: 6,
  EXT_INFO: 7,
  KEXINIT: 20,
  NEWKEYS: 21,
  KEX_ECDH_INIT: 30,
  KEX_ECDH_REPLY: 31,
  USERAUTH_REQUEST: 50,
  USERAUTH_FAILURE: 51,
  USERAUTH_SUCCESS: 52,
  USERAUTH_BANNER: 53,
  USERAUTH_PK_OK: 60,
  USERAUTH_PASSWD_CHANGEREQ: 60,
  USERAUTH_INFO_REQUEST: 60,
  USERAUTH_INFO_RESPONSE: 61,
  GLOBAL_REQUEST: 80,
  REQUEST_SUCCESS: 81,
  REQUEST_FAILURE: 82,
  CHANNEL_OPEN: 90,
  CHANNEL_OPEN_CONFIRMATION: 91,
  CHANNEL_OPEN_FAILURE: 92,
  CHANNEL_WINDOW_ADJUST: 93,
  CHANNEL_DATA: 94,
  CHANNEL_EXTENDED_DATA: 95,
  CHANNEL_EOF: 96,
  CHANNEL_CLOSE: 97,
  CHANNEL_REQUEST: 98,
  CHANNEL_SUCCESS: 99,
  CHANNEL_FAILURE: 100,
} as const);

/** RFC 4253 §12 / RFC 4250 §4.1.2: which layer a message number belongs to. */
export type MessageLayer = 'transport' | 'kex' | 'kex-method' | 'userauth' | 'connection' | 'reserved' | 'local';

export function messageLayer(n: number): MessageLayer {
  if (n >= 1 && n <= 19) return 'transport';
  if (n >= 20 && n <= 29) return 'kex';
  if (n >= 30 && n <= 49) return 'kex-method';
  if (n >= 50 && n <= 79) return 'userauth';
  if (n >= 80 && n <= 127) return 'connection';
  if (n >= 192) return 'local';
  return 'reserved';
}

/** RFC 4254 §5.2 */
export const EXTENDED_DATA_STDERR = 1;

/** RFC 4254 §5.1 */
export const ChannelOpenFailure = Object.freeze({
  ADMINISTRATIVELY_PROHIBITED: 1,
  CONNECT_FAILED: 2,
  UNKNOWN_CHANNEL_TYPE: 3,
  RESOURCE_SHORTAGE: 4,
} as const);
