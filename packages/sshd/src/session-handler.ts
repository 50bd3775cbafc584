import type { ConnectionHandler } from '@tssh/ssh-protocol/connection';
import { ChannelOpenFailure } from '@tssh/ssh-protocol/wire';
import { SessionChannel, type SessionContext } from './session-channel.js';

/** What an authenticated connection may open: `session` channels, up to MaxSessions at once. */
export function sessionConnectionHandler(ctx: SessionContext): ConnectionHandler {
  let open = 0;
  return {
    onChannelOpen(req) {
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
  };
}
