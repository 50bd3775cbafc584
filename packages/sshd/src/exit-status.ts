// How a tsshd-session worker tells the listener why it ended, through its exit status alone (the codes are
// OpenSSH's, from srclimit.h), and how the listener reads a worker's end back into a cause.

/** LoginGraceTime passed before the user authenticated. */
export const EXIT_LOGIN_GRACE = 3;
/** The worker failed in a way that should not happen (an uncaught exception). */
export const EXIT_CHILD_CRASH = 4;
/** The connection ended before authentication, after at least one failed attempt. */
export const EXIT_AUTH_ATTEMPTED = 5;
/** The configuration refused the connection. */
export const EXIT_CONFIG_REFUSED = 6;
/** The connection ended after attempts for a user that does not exist or may not log in. */
export const EXIT_INVALID_USER = 7;
/** The connection ended in an ordinary way: closed by the client, disconnected, or after an idle timeout. */
export const EXIT_NORMAL = 0;
/** Any other failure before authentication (sshd's fatal()). */
export const EXIT_FATAL = 255;

/** Why a worker ended, as the listener sees it. */
export type WorkerEndCause =
  | 'normal'
  | 'killed'
  | 'grace-exceeded'
  | 'crash'
  | 'authfail'
  | 'invaliduser'
  | 'refuseconnection'
  | 'noauth';

/**
 * The cause of a worker's end. Before authentication every unusual status counts against the source (sshd's
 * child_reap); a signal is a crash only when it means a fault, else someone stopped the worker.
 */
export function workerEndCause(code: number | null, signal: NodeJS.Signals | null, authenticated: boolean): WorkerEndCause {
  if (signal !== null) return crashSignal(signal) ? 'crash' : 'killed';
  if (code === EXIT_CHILD_CRASH) return 'crash';
  if (authenticated) return 'normal';
  switch (code) {
    case EXIT_NORMAL:
      return 'normal';
    case EXIT_LOGIN_GRACE:
      return 'grace-exceeded';
    case EXIT_AUTH_ATTEMPTED:
      return 'authfail';
    case EXIT_INVALID_USER:
      return 'invaliduser';
    case EXIT_CONFIG_REFUSED:
      return 'refuseconnection';
    default:
      return 'noauth';
  }
}

/** Signals that mean a program fault rather than someone's decision to stop it (OpenSSH's signal_is_crash). */
export function crashSignal(signal: NodeJS.Signals): boolean {
  return ['SIGSEGV', 'SIGBUS', 'SIGTRAP', 'SIGSYS', 'SIGFPE', 'SIGILL', 'SIGABRT'].includes(signal);
}

/** The exit status a worker ends with when its connection closes. */
export function sessionExitStatus(state: { authenticated: boolean; attempted: boolean; invalidUser: boolean }): number {
  if (state.authenticated) return EXIT_NORMAL;
  if (state.invalidUser) return EXIT_INVALID_USER;
  if (state.attempted) return EXIT_AUTH_ATTEMPTED;
  return EXIT_FATAL;
}
