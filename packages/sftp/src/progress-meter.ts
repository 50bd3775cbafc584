// The transfer progress line of OpenSSH's sftp and scp, redrawn once a second on a terminal:
//   name                                   45%   46MB  45.3MB/s   00:01 ETA
// The name takes what the line's width leaves; the rate is a moving average; a finished transfer shows its time.

/** Seconds between redraws (OpenSSH's UPDATE_INTERVAL) and without progress before "- stalled -" (STALL_TIME). */
const UPDATE_INTERVAL_MS = 1000;
const STALL_SECONDS = 5;
const AGE_FACTOR = 0.9;
const UNITS = ' KMGT';

/** format_size(): 4 digits and a unit, e.g. "  46MB", " 512 ". */
export function formatSize(bytes: number): string {
  let i = 0;
  let n = Math.floor(bytes);
  while (n >= 10000 && UNITS[i] !== 'T') {
    n = Math.floor((n + 512) / 1024);
    i++;
  }
  return `${String(n).padStart(4)}${UNITS[i]}${i > 0 ? 'B' : ' '}`;
}

/** format_rate(): at least KB, one decimal, e.g. " 45.3MB". */
export function formatRate(bytesPerSecond: number): string {
  let n = Math.floor(bytesPerSecond) * 100;
  let i = 0;
  while (n >= 100 * 1000 && UNITS[i] !== 'T') {
    n = Math.floor((n + 512) / 1024);
    i++;
  }
  if (i === 0) {
    i = 1;
    n = Math.floor((n + 512) / 1024);
  }
  const whole = Math.floor((n + 5) / 100);
  const tenth = Math.floor((n + 5) / 10) % 10;
  return `${String(whole).padStart(3)}.${tenth}${UNITS[i]}B`;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (x: number): string => String(x).padStart(2, '0');
  return h !== 0 ? `${h}:${two(m)}:${two(s % 60)}` : `  ${two(m)}:${two(s % 60)}`;
}

export interface MeterOutput {
  write(text: string): void;
  /** Terminal width in columns (80 when unknown). */
  readonly columns: number;
}

export interface MeterState {
  name: string;
  /** Bytes at the start (a resumed transfer starts past 0), now, and at the end. */
  start: number;
  current: number;
  total: number;
  /** Seconds since the transfer started, and since the last redraw. */
  elapsed: number;
  sinceLast: number;
  /** Bytes moved since the last redraw. */
  moved: number;
  /** Moving average, bytes per second (0 before the first estimate). */
  rate: number;
  stalled: number;
}

/** One line of the meter, without the leading "\r": `columns - 1` characters at most. */
export function meterLine(s: MeterState, columns: number): string {
  const nameWidth = columns - 35;
  let line = '';
  if (nameWidth > 0) line += [...s.name].slice(0, nameWidth).join('').padEnd(nameWidth);
  const percent = s.total === 0 || s.current === s.total ? 100 : Math.floor((s.current / s.total) * 100);
  line += ` ${String(percent).padStart(3)}% ${formatSize(s.current)} ${formatRate(s.rate)}/s `;
  const left = s.total - s.current;
  if (s.stalled >= STALL_SECONDS) line += '- stalled -';
  else if (s.rate === 0 && left > 0) line += '  --:-- ETA';
  else line += left > 0 ? `${clock(left / s.rate)} ETA` : `${clock(s.elapsed)}    `;
  return line.slice(0, Math.max(0, columns - 1));
}

/** A running meter: update() records progress, the timer redraws, stop() draws the final line and a newline. */
export class ProgressMeter {
  private readonly state: MeterState;
  private readonly began: number;
  private lastDraw: number;
  private lastBytes: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    name: string,
    start: number,
    total: number,
    private readonly out: MeterOutput,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.began = this.lastDraw = now();
    this.lastBytes = start;
    this.state = { name, start, current: start, total, elapsed: 0, sinceLast: 0, moved: 0, rate: 0, stalled: 0 };
    this.draw(false);
    this.timer = setInterval(() => this.draw(false), UPDATE_INTERVAL_MS);
    this.timer.unref();
  }

  /** `bytes` is the position reached (start included). */
  update(bytes: number): void {
    this.state.current = bytes;
  }

  stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.draw(true);
    this.out.write('\n');
  }

  private draw(final: boolean): void {
    const s = this.state;
    const t = this.now();
    const done = final || s.current >= s.total;
    s.elapsed = (t - this.began) / 1000;
    s.sinceLast = (t - this.lastDraw) / 1000;
    // Done: the true average over the whole transfer; else a moving average of the recent speed.
    const moved = done ? s.current - s.start : s.current - this.lastBytes;
    const seconds = done ? s.elapsed : s.sinceLast;
    const speed = seconds > 0 ? moved / seconds : moved;
    s.rate = done || s.rate === 0 ? speed : s.rate * AGE_FACTOR + speed * (1 - AGE_FACTOR);
    s.stalled = moved === 0 && !done ? s.stalled + s.sinceLast : 0;
    this.lastDraw = t;
    this.lastBytes = s.current;
    this.out.write(`\r${meterLine(s, this.out.columns)}`);
  }
}
