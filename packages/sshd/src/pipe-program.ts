// A session program without a terminal: stdin, stdout and stderr are pipes to the channel's data, data and
// extended data (RFC 4254 §5.2), with backpressure both ways.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { Channel } from '@tssh/ssh-protocol/connection';
import { channelExtendedWritable, channelToDuplex } from '@tssh/ssh-protocol/node';
import type { Logger } from '@tssh/ssh-protocol/wire';
import { closePipe, outputPipes, type PipeEnds } from './output-pipes.js';
import { reportExit, type ProgramExit, type RunningProgram } from './session-program.js';
import { signalName } from './signals.js';

export interface PipeProgramOptions {
  file: string;
  argv0: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd: string;
}

/**
 * Starts the program; throws when it cannot be spawned at all. Its stdout is a real pipe when one is ready (see
 * output-pipes.ts), else a socketpair like stdin and stderr.
 */
export function runWithPipes(channel: Channel, opts: PipeProgramOptions, log: Logger): RunningProgram {
  const pipe = outputPipes.take();
  let child: ChildProcess;
  try {
    child = spawn(opts.file, [...opts.args], {
      cwd: opts.cwd,
      env: { ...opts.env },
      argv0: opts.argv0,
      stdio: ['pipe', pipe?.write ?? 'pipe', 'pipe'],
    });
  } catch (err) {
    if (pipe) closePipe(pipe);
    throw err;
  }
  wire(channel, child, pipe ? pipeReader(pipe) : child.stdout!, log);
  return {
    signal: (signal) => child.exitCode === null && child.signalCode === null && child.kill(signal),
    resize: () => false,
    hangup: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGHUP');
    },
  };
}

/**
 * The packets of one socket read arrive in one turn of the event loop: their data goes to the program in one
 * writev rather than one write per packet (half the system calls and wake-ups of the reader in a bulk upload).
 */
function corkEachTurn(source: Readable, sink: Writable): void {
  let corked = false;
  source.on('data', () => {
    if (corked || sink.writableEnded) return;
    corked = true;
    sink.cork();
    process.nextTick(() => {
      corked = false;
      sink.uncork();
    });
  });
}

/** Our end of the pipe as a stream; the child has the write end now, so ours is closed (EOF when the child's is). */
function pipeReader(pipe: PipeEnds): Readable {
  closeSync(pipe.write);
  return new Socket({ fd: pipe.read, readable: true, writable: false });
}

function wire(ch: Channel, child: ChildProcess, stdout: Readable, log: Logger): void {
  const duplex = channelToDuplex(ch);
  const stderr = channelExtendedWritable(ch);
  corkEachTurn(duplex, child.stdin!); // before pipe(), so that the cork comes ahead of each write
  duplex.pipe(child.stdin!);
  child.stdin!.on('error', () => {}); // the command may exit without reading its input (EPIPE)
  stdout.pipe(duplex, { end: false });
  child.stderr!.pipe(stderr);
  let outputDone = 0;
  let exit: ProgramExit | undefined;
  // RFC 4254 §5.3: no data (stderr included) after EOF, so EOF waits for both output streams; the exit
  // status goes first (§6.10), then EOF once the stream has handed every byte to the channel, then CLOSE.
  const finish = (): void => {
    if (outputDone < 2 || !exit) return;
    outputDone = -1;
    reportExit(ch, exit);
    duplex.end(() => ch.close());
  };
  stdout.on('end', () => {
    outputDone++;
    finish();
  });
  stdout.on('error', (e) => {
    log.error(`session: reading the command's output: ${e.message}`);
    outputDone++; // no 'end' follows an error
    finish();
  });
  stderr.on('finish', () => {
    outputDone++;
    finish();
  });
  child.on('error', (e) => {
    log.error(`session: ${e.message}`);
    exit = { code: 255, signal: undefined };
    outputDone = 2;
    finish();
  });
  child.on('exit', (code, signal) => {
    exit = signal ? { code: undefined, signal: signalName(signal) } : { code: code ?? 255, signal: undefined };
    finish();
  });
}
