/**
 * A mocha root-hook plugin (`.mocharc.json` requires it) that keeps `npm test`
 * from hanging after its summary. Mocha exits on its own once nothing is left
 * open, and that is how it should end: every suite closes what it opened. If
 * something still holds the process a while after the last test (a server, a
 * connection, a timer someone forgot), the watchdog names what is open and
 * exits with a failure, so a leak is reported instead of hidden by `--exit` or
 * left to hang a CI job.
 */

/** How long after the last test the process may take to wind down on its own. */
const GRACE_MS = 10_000;

export const mochaHooks = {
  afterAll(): void {
    const timer = setTimeout(() => {
      const open = process.getActiveResourcesInfo().filter((r) => r !== 'Timeout');
      console.error(
        `\nmocha: still running ${GRACE_MS / 1000} s after the last test; something was left open ` +
          `(${open.join(', ') || 'timers'}). A suite's after hook should close it. Exiting with a failure.`,
      );
      // Mocha sets the exit code from the failure count in its own 'exit' listener; this one runs
      // after it, so a leak fails the run even when every test passed.
      process.on('exit', () => {
        if (!process.exitCode) process.exitCode = 1;
      });
      process.exit();
    }, GRACE_MS);
    timer.unref();
  },
};
