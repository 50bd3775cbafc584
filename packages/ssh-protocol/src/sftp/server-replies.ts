// Responses the server handlers share (draft-ietf-secsh-filexfer-02 §7).
import { FX, statusText } from './constants.js';
import type { FxStatus } from './constants.js';
import type { SftpResponse } from './responses.js';

/** A reply encoded by its handler already (a DATA read straight into its packet): sent as it is. */
export interface EncodedReply {
  kind: 'encoded';
  id: number;
  bytes: Uint8Array;
}

/** What a request handler answers. */
export type ServerReply = SftpResponse | EncodedReply;

/** §7 STATUS; the language tag is left empty, as OpenSSH leaves it. */
export function statusResponse(id: number, code: FxStatus, message = statusText(code)): SftpResponse {
  return { kind: 'status', id, code, message, language: '' };
}

export function okResponse(id: number): SftpResponse {
  return statusResponse(id, FX.OK);
}

/** One NAME entry whose long name is the name itself and whose attributes are empty (§6.10, §6.11). */
export function nameReply(id: number, name: string): SftpResponse {
  return { kind: 'name', id, names: [{ filename: name, longname: name, attrs: {} }] };
}
