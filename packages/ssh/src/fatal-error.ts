// The end of a tssh run with a message for the user: ssh prints it as one line on stderr and exits 255.

/** ssh's exit status for its own failures (connection, host key, authentication). */
export const EXIT_FAILURE = 255;

export class FatalError extends Error {
  override name = 'FatalError';
  constructor(
    message: string,
    readonly exitCode = EXIT_FAILURE,
  ) {
    super(message);
  }
}
