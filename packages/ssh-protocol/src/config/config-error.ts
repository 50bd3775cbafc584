// Configuration errors, worded like OpenSSH: "FILE line N: what".

/** Where a configuration line came from; `-o` options use the file name `command-line`. */
export interface ConfigSource {
  readonly file: string;
  readonly line: number;
}

/** A line of ssh_config or sshd_config that cannot be accepted. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly what: string,
  ) {
    super(`${file} line ${line}: ${what}`);
  }

  static at(src: ConfigSource, what: string): ConfigError {
    return new ConfigError(src.file, src.line, what);
  }
}

/** A configuration file that cannot be read at all. */
export class ConfigReadError extends Error {
  override name = 'ConfigReadError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}
