import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from './logger.js';

/** What happened during a shutdown, so the caller can pick the exit code. */
export interface ShutdownResult {
  /** True when SHUTDOWN_TIMEOUT_MS ran out and open connections were cut. */
  forced: boolean;
  /** Set when closing resources (sockets, database) failed. */
  error?: unknown;
  durationMs: number;
}

/** Inputs of {@link createGracefulShutdown}. */
export interface GracefulShutdownOptions {
  server: Server;
  /** How long in-flight requests may take to finish before their connections are cut. */
  timeoutMs: number;
  /**
   * Closes everything behind the HTTP server, in order (Socket.IO, jobs, then
   * the database with the engine last). Runs once HTTP traffic has drained.
   */
  closeResources: () => Promise<void>;
  logger: Logger;
}

/** Handle returned by {@link createGracefulShutdown}. */
export interface GracefulShutdown {
  /** Starts shutting down; later calls return the same promise. */
  shutdown(reason: string): Promise<ShutdownResult>;
  readonly shuttingDown: boolean;
}

/** How often idle keep-alive sockets are swept while draining. */
const IDLE_SWEEP_MS = 50;

/**
 * Graceful shutdown for an HTTP server: stop accepting connections, let
 * in-flight requests finish (bounded by `timeoutMs`), close keep-alive
 * connections as soon as they are idle, then close the resources behind the
 * server. Create it right after the server so it sees every request.
 */
export function createGracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  const { server, timeoutMs, closeResources, logger } = options;
  const inFlight = new Set<ServerResponse>();
  let shuttingDown = false;
  let pending: Promise<ShutdownResult> | undefined;

  // Tell clients not to reuse a connection that is draining: Node then closes
  // the socket right after the response instead of keeping it alive.
  const closeAfterResponse = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    if (shuttingDown) closeAfterResponse(res);
  });

  async function drainHttp(): Promise<boolean> {
    const closed = new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
    for (const res of inFlight) closeAfterResponse(res);
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    try {
      const forced = await Promise.race([closed.then(() => false), timedOut]);
      if (forced) {
        logger.warn(
          `${inFlight.size} request(s) still running after ${timeoutMs} ms; closing their connections`,
        );
        server.closeAllConnections();
        await closed;
      }
      return forced;
    } finally {
      clearInterval(sweep);
      clearTimeout(timer);
    }
  }

  async function run(reason: string): Promise<ShutdownResult> {
    const started = performance.now();
    logger.info(
      `shutting down (${reason}): no new connections, finishing ${inFlight.size} request(s)`,
    );
    const forced = await drainHttp();
    let error: unknown;
    try {
      await closeResources();
    } catch (caught) {
      error = caught;
      logger.error('closing resources failed during shutdown', caught);
    }
    const durationMs = Math.round(performance.now() - started);
    logger.info(`shutdown complete in ${durationMs} ms`);
    return error === undefined ? { forced, durationMs } : { forced, error, durationMs };
  }

  return {
    shutdown(reason) {
      shuttingDown = true;
      pending ??= run(reason);
      return pending;
    },
    get shuttingDown() {
      return shuttingDown;
    },
  };
}

/** Inputs of {@link exitOnSignals}; `exit` and `target` are injectable for tests. */
export interface SignalOptions {
  shutdown: GracefulShutdown;
  logger: Logger;
  signals?: readonly NodeJS.Signals[];
  exit?: (code: number) => void;
  target?: NodeJS.EventEmitter;
}

/**
 * Shuts down on SIGTERM (orchestrators) and SIGINT (Ctrl-C), then exits 0,
 * or 1 if closing resources failed. A second signal exits at once with 1, for
 * an operator who does not want to wait.
 */
export function exitOnSignals(options: SignalOptions): void {
  const { shutdown, logger, signals = ['SIGTERM', 'SIGINT'] } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const target = options.target ?? process;
  for (const signal of signals) {
    target.on(signal, () => {
      if (shutdown.shuttingDown) {
        logger.warn(`${signal} received again; exiting without waiting`);
        exit(1);
        return;
      }
      void shutdown.shutdown(signal).then((result) => exit(result.error === undefined ? 0 : 1));
    });
  }
}
