// Keys held by a running ssh-agent: where its socket is (IdentityAgent, else $SSH_AUTH_SOCK), what it holds, and
// signatures made by it. An agent that is missing or broken only costs its keys (debug lines), as with ssh.
import type { ClientIdentity } from '@tssh/ssh-protocol/auth';
import type { AgentKey } from '@tssh/ssh-protocol/agent';
import { keyLogText } from '@tssh/ssh-protocol/auth';
import { connectAgent, type AgentConnection } from '@tssh/ssh-protocol/node';
import type { ClientLogger } from './client-log.js';

/**
 * The agent socket to use: IdentityAgent as resolved from the configuration (a path, `none`, `SSH_AUTH_SOCK`
 * or `$VARIABLE`), or $SSH_AUTH_SOCK when it is not set. Undefined: no agent.
 */
export function agentSocketPath(identityAgent: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const value = identityAgent ?? 'SSH_AUTH_SOCK';
  if (value === 'none') return undefined;
  if (value === 'SSH_AUTH_SOCK') return env.SSH_AUTH_SOCK || undefined;
  if (value.startsWith('$')) return env[value.slice(1)] || undefined;
  return value;
}

export interface AgentKeys {
  readonly keys: readonly AgentKey[];
  /** A ClientIdentity that signs with the agent's copy of `key`, shown as `label` (its file, or its comment). */
  identity(key: AgentKey, label: string): ClientIdentity;
  close(): void;
}

/** Lists the agent's keys; undefined (after a debug line) when there is no agent to ask or it fails. */
export async function openAgentKeys(path: string | undefined, log: ClientLogger): Promise<AgentKeys | undefined> {
  if (path === undefined) {
    log.debug2('get_agent_identities: no agent socket (SSH_AUTH_SOCK is not set)');
    return undefined;
  }
  let agent: AgentConnection;
  try {
    agent = await connectAgent(path);
  } catch (e) {
    log.debug(`get_agent_identities: ssh_get_authentication_socket: ${(e as Error).message}`);
    return undefined;
  }
  try {
    const list = await agent.client.listKeys();
    for (const s of list.skipped) log.debug(`get_agent_identities: skipping ${s.type} key ${s.comment}: ${s.reason}`);
    log.debug(`get_agent_identities: agent returned ${list.keys.length + list.skipped.length} keys`);
    return {
      keys: list.keys,
      identity: (key, label) => ({
        publicKey: key.publicKey,
        comment: label,
        sign: async (data, algorithm) => {
          log.debug3(`sign with agent: ${keyLogText(key.publicKey)} ${algorithm}`);
          return agent.client.sign(key.publicKey, data, algorithm);
        },
      }),
      close: () => agent.close(),
    };
  } catch (e) {
    log.debug(`get_agent_identities: ssh_fetch_identitylist: ${(e as Error).message}`);
    agent.close();
    return undefined;
  }
}
