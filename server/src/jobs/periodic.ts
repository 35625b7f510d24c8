/**
 * The loop every background job runs: work at once, then again `intervalMs`
 * after each round ends (never two rounds at a time), until stopped. A failed
 * round is logged and retried at the next tick. The timer is unref'd, so a job
 * nobody stopped never keeps the process alive; `stop()` cancels the next
 * round and waits for the current one.
 */
import type { Logger } from '../logger.js';

export interface PeriodicJob {
  stop(): Promise<void>;
}

export interface PeriodicJobOptions {
  /** For the log: "poll closer", "mail"... */
  name: string;
  intervalMs: number;
  logger?: Logger;
  /** One round; answers what it did worth logging, or null. */
  work: () => Promise<string | null>;
  /** How the rounds' reports are logged. */
  level?: 'debug' | 'info';
  /** Stop after the first round that succeeds (work that only needs retrying on failure). */
  untilSuccess?: boolean;
}

export function startPeriodicJob(options: PeriodicJobOptions): PeriodicJob {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = options
      .work()
      .then(
        (report) => {
          if (report !== null)
            options.logger?.[options.level ?? 'debug'](`${options.name}: ${report}`);
          return !options.untilSuccess;
        },
        (error: unknown) => {
          options.logger?.error(`${options.name}: round failed, will retry`, error);
          return true;
        },
      )
      .then((again) => {
        if (again && !stopped) timer = setTimeout(tick, options.intervalMs).unref();
      });
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
