import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from './logger.js';

/** What happened during a shutdown, so the caller can pick the exit code. */
export interface ShutdownResult {
  /** True when the time for requests ran out and open connections were cut. */
  forced: boolean;
  /** Set when closing resources (sockets, database) failed. */
  error?: unknown;
  durationMs: number;
}

/** Inputs of {@link createGracefulShutdown}. */
export interface GracefulShutdownOptions {
  server: Server;
  /**
   * How long the whole stop may take (SHUTDOWN_TIMEOUT_MS): in-flight requests
   * get all of it but a reserve for `closeResources` (see {@link reserveFor}).
   */
  timeoutMs: number;
  /**
   * Ends long-lived connections (Socket.IO's WebSockets and long polls) as soon
   * as the server stops listening. Left open, they would keep `server.close()`
   * from ever finishing, and keep pages looking live while every request fails.
   */
  closeConnections?: () => void;
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
 * The part of the timeout kept for closing resources once requests are done
 * or cut: a quarter, at most 2 s, and never less than half a second for the
 * database to close, whatever the timeout.
 */
export function reserveFor(timeoutMs: number): { drainMs: number; closeMs: number } {
  const reserve = Math.min(2000, Math.floor(timeoutMs / 4));
  return { drainMs: timeoutMs - reserve, closeMs: Math.max(reserve, 500) };
}

/**
 * Graceful shutdown for an HTTP server, bounded by `timeoutMs` in all: stop
 * accepting connections, end live ones (`closeConnections`), let in-flight
 * requests finish, close keep-alive connections as soon as they are idle, cut
 * whatever is still open when the time for requests runs out, then close the
 * resources behind the server (an error if they take longer than what is
 * left). Create it right after the server so it sees every connection.
 */
export function createGracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  const { server, timeoutMs, closeResources, logger } = options;
  const { drainMs, closeMs } = reserveFor(timeoutMs);
  const inFlight = new Set<ServerResponse>();
  // Every TCP connection, upgraded ones (WebSockets) included: Node's own
  // closeAllConnections() does not reach those, and they keep close() waiting.
  const connections = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
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
    try {
      options.closeConnections?.();
    } catch (error) {
      logger.error('closing live connections failed during shutdown', error);
    }
    for (const res of inFlight) closeAfterResponse(res);
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), drainMs);
    });
    try {
      const forced = await Promise.race([closed.then(() => false), timedOut]);
      if (forced) {
        logger.warn(
          `${inFlight.size} request(s) and ${connections.size} connection(s) still open after ${drainMs} ms; closing them`,
        );
        server.closeAllConnections();
        for (const socket of connections) socket.destroy();
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
      inFlight.size === 0
        ? `stopping (${reason})`
        : `stopping (${reason}): finishing ${inFlight.size} request(s) in progress`,
    );
    const forced = await drainHttp();
    let error: unknown;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      const left = Math.max(closeMs, timeoutMs - (performance.now() - started));
      timer = setTimeout(
        () => reject(new Error(`closing resources did not finish within ${Math.round(left)} ms`)),
        left,
      );
    });
    try {
      await Promise.race([closeResources(), late]);
    } catch (caught) {
      error = caught;
      logger.error('closing resources failed during shutdown', caught);
    } finally {
      clearTimeout(timer);
    }
    const durationMs = Math.round(performance.now() - started);
    logger.info(`stopped in ${durationMs} ms`);
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
