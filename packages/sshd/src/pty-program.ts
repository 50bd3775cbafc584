// A session program on a pseudo-terminal: the channel's data goes to the terminal's input and everything the
// program writes (stdout and stderr alike) comes back as channel data; no extended data (RFC 4254 §6.2).
import type { Channel } from '@tssh/ssh-protocol/connection';
import { channelToDuplex } from '@tssh/ssh-protocol/node';
import { openPseudoTerminal, type PseudoTerminalOptions } from './pseudo-terminal.js';
import { reportExit, type RunningProgram } from './session-program.js';

/** Starts the program on a new terminal; throws when the terminal cannot be made. */
export function runOnTerminal(channel: Channel, opts: PseudoTerminalOptions): RunningProgram {
  const pty = openPseudoTerminal(opts);
  const duplex = channelToDuplex(channel);
  let running = true;
  // A terminal cannot be half-closed: the client's EOF leaves it as it is (as in sshd).
  duplex.on('data', (data: Uint8Array) => running && pty.write(data));
  duplex.on('error', () => {});
  pty.onData((data) => {
    if (!duplex.write(data)) {
      pty.pause();
      duplex.once('drain', () => pty.resume());
    }
  });
  pty.onExit((exit) => {
    running = false;
    reportExit(channel, exit);
    duplex.end(() => channel.close());
  });
  return {
    ...(pty.ttyName === undefined ? {} : { tty: pty.ttyName.replace(/^\/dev\//, '') }),
    signal: (signal) => {
      if (!running) return false;
      pty.kill(signal);
      return true;
    },
    resize: (size) => {
      if (running) pty.resize(size);
      return true;
    },
    hangup: () => {
      if (running) pty.kill('SIGHUP');
    },
  };
}
