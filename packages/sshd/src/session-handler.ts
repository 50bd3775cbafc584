import type { Connection, ConnectionHandler } from '@tssh/ssh-protocol/connection';
import { ChannelOpenFailure } from '@tssh/ssh-protocol/wire';
import { PortForwarding } from './port-forwarding.js';
import { SessionChannel, type SessionContext } from './session-channel.js';

/**
 * What an authenticated connection may open: `session` channels, up to MaxSessions at once, and TCP forwarding
 * (`direct-tcpip` channels, `tcpip-forward` requests) as port-forwarding.ts allows.
 */
export function sessionConnectionHandler(ctx: SessionContext, connection?: Connection): ConnectionHandler {
  let open = 0;
  const forwarding = new PortForwarding(ctx, () => connection);
  return {
    onChannelOpen(req) {
      if (req.open.kind === 'direct-tcpip') return forwarding.openDirect(req);
      if (req.open.kind !== 'session') {
        ctx.log.verbose(`refused channel open of type ${'type' in req.open ? String(req.open.type) : req.open.kind}`);
        return { reject: ChannelOpenFailure.ADMINISTRATIVELY_PROHIBITED, description: 'open failed' };
      }
      if (open >= ctx.config.maxSessions) {
        ctx.log.info(`no more sessions (MaxSessions ${ctx.config.maxSessions})`);
        return { reject: ChannelOpenFailure.ADMINISTRATIVELY_PROHIBITED, description: 'no more sessions' };
      }
      const channel = req.accept();
      open++;
      channel.on('close', () => open--);
      new SessionChannel(channel, ctx);
      return channel;
    },
    onGlobalRequest(request, wantReply) {
      return forwarding.globalRequest(request, wantReply);
    },
  };
}
