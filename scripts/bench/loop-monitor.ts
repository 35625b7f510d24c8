/**
 * What else was going on in this process during a measurement: event-loop delay
 * (a blocked or descheduled loop delays every reply and event alike), garbage
 * collection pauses, CPU time used, and the machine's load average. Used to tell
 * a slow engine from a busy machine when latency tails are long. In the
 * child-process modes it describes the client process only.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import os from 'node:os';

/**
 * Linux CPU pressure (PSI, `some avg10`): % of the last 10 s in which some
 * runnable task waited for a CPU. Near 0 on a quiet machine; null if unavailable.
 */
export function cpuPressure(): number | null {
  try {
    const match = /some avg10=([\d.]+)/.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export interface LoopReport {
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  /** This process's CPU time (user+system) over wall time: 1.0 = one core busy. */
  cpuCores: number;
  loadAverageStart: number;
  loadAverageEnd: number;
  /** CPU pressure (PSI some avg10, %) at the end; null if unavailable. */
  cpuPressureEnd: number | null;
}

export interface LoopMonitor {
  stop(): LoopReport;
}

export function startLoopMonitor(): LoopMonitor {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const gc: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const loadStart = os.loadavg()[0];
  return {
    stop() {
      histogram.disable();
      observer.disconnect();
      const cpu = process.cpuUsage(cpuStart);
      const wall = performance.now() - wallStart;
      return {
        loopDelayP50Ms: histogram.percentile(50) / 1e6,
        loopDelayP99Ms: histogram.percentile(99) / 1e6,
        loopDelayMaxMs: histogram.max / 1e6,
        gcCount: gc.length,
        gcTotalMs: gc.reduce((a, b) => a + b, 0),
        gcMaxMs: gc.length > 0 ? Math.max(...gc) : 0,
        cpuCores: (cpu.user + cpu.system) / 1000 / wall,
        loadAverageStart: loadStart,
        loadAverageEnd: os.loadavg()[0],
        cpuPressureEnd: cpuPressure(),
      };
    },
  };
}
