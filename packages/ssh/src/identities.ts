// The keys publickey authentication tries, in ssh's order (pubkey_prepare): the agent's keys first, in the
// agent's order (a key that is also an identity file keeps the file's name and is signed by the agent, so its
// passphrase is never asked), then the identity files the agent does not hold. With IdentitiesOnly the agent's
// other keys are left out.
import type { ClientIdentity, DeferredClientIdentity } from '@tssh/ssh-protocol/auth';
import { keyLogText } from '@tssh/ssh-protocol/auth';
import { bytesEqual } from '@tssh/ssh-protocol/wire';
import { openAgentKeys, type AgentKeys } from './agent-keys.js';
import { loadIdentityFile, type IdentityFile, type IdentityFileOptions, type LoadedIdentityFile } from './identity-files.js';

export type { IdentityFile } from './identity-files.js';

export interface KeyRingOptions extends IdentityFileOptions {
  readonly files: readonly IdentityFile[];
  readonly identitiesOnly: boolean;
  /** The agent's socket; undefined for none. */
  readonly agentPath: string | undefined;
}

export interface KeyRing {
  /** For ClientCredentials.identities: asks the agent (once) and returns every key to try, in order. */
  identities(): Promise<Array<ClientIdentity | DeferredClientIdentity>>;
  /** Lets the agent go. */
  close(): void;
}

/** Reads the identity files' public halves now; the agent is asked when publickey authentication starts. */
export function keyRing(opts: KeyRingOptions): KeyRing {
  const files: LoadedIdentityFile[] = [];
  const seen = new Set<string>();
  for (const file of opts.files) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    const loaded = loadIdentityFile(file, opts);
    if (loaded) files.push(loaded);
  }
  let agent: AgentKeys | undefined;
  let closed = false;
  let list: Promise<Array<ClientIdentity | DeferredClientIdentity>> | undefined;

  const build = async (): Promise<Array<ClientIdentity | DeferredClientIdentity>> => {
    agent = await openAgentKeys(opts.agentPath, opts.log);
    if (closed) agent?.close();
    const rest = [...files];
    const out: Array<{ identity: ClientIdentity | DeferredClientIdentity; text: string }> = [];
    for (const key of agent?.keys ?? []) {
      const i = rest.findIndex((f) => f.kind === 'key' && bytesEqual(f.identity.publicKey.blob, key.publicKey.blob));
      if (i >= 0) {
        const [file] = rest.splice(i, 1);
        out.push({ identity: agent!.identity(key, file.file.path), text: describe(file, ' agent') });
      } else if (!opts.identitiesOnly) {
        out.push({ identity: agent!.identity(key, key.comment), text: `${key.comment} ${keyLogText(key.publicKey)} agent` });
      }
    }
    for (const file of rest) out.push({ identity: file.identity, text: describe(file, '') });
    for (const o of out) opts.log.debug(`Will attempt key: ${o.text}`);
    return out.map((o) => o.identity);
  };

  return {
    identities: () => (list ??= build()),
    close: () => {
      closed = true;
      agent?.close();
    },
  };
}

/** ssh's format_identity: `FILE TYPE FINGERPRINT [explicit] [agent]`. */
function describe(file: LoadedIdentityFile, agent: string): string {
  const key = file.kind === 'key' ? ` ${keyLogText(file.identity.publicKey)}` : '';
  return `${file.file.path}${key}${file.file.userProvided ? ' explicit' : ''}${agent}`;
}
