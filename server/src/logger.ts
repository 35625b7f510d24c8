/** Log levels in increasing verbosity; `silent` prints nothing. */
export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

/** One of {@link LOG_LEVELS}, as set by LOG_LEVEL. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The minimal logging surface the server needs. Kept as an interface so a
 * structured logger can replace the console one later without touching callers.
 */
export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * A console logger honouring LOG_LEVEL: errors and warnings go to stderr,
 * the rest to stdout, each line prefixed with its level so operators can grep.
 */
export function createLogger(level: LogLevel): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const enabled = (l: LogLevel): boolean => LOG_LEVELS.indexOf(l) <= threshold;
  return {
    error(message, error) {
      if (!enabled('error')) return;
      console.error(
        error === undefined ? `error: ${message}` : `error: ${message}\n${describe(error)}`,
      );
    },
    warn(message) {
      if (enabled('warn')) console.error(`warn: ${message}`);
    },
    info(message) {
      if (enabled('info')) console.log(`info: ${message}`);
    },
    debug(message) {
      if (enabled('debug')) console.log(`debug: ${message}`);
    },
  };
}

/** A logger that drops everything, for tests that do not care about output. */
export const silentLogger: Logger = createLogger('silent');
