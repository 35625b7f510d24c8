/**
 * Whether the server answers requests, apart from whether the socket is
 * connected: a socket can look connected while every request fails (the
 * server stopping, its database down). Failing requests mark the page as not
 * live (the indicator and banner say so); it then asks `/api/health` every few
 * seconds, and the first request that gets an answer clears the mark.
 */
import { api, onRequestOutcome } from '../api/client.js';
import { useStore } from '../store/index.js';

/** How often the health probe runs while requests fail (ms). */
const PROBE_MS = 3000;

let started = false;
let probe: number | null = null;

function stopProbing(): void {
  if (probe !== null) window.clearInterval(probe);
  probe = null;
}

/** Follows request outcomes (once); `connectRealtime` starts it. */
export function followServerHealth(): void {
  if (started) return;
  started = true;
  onRequestOutcome((answered) => {
    const store = useStore.getState();
    if (answered) {
      stopProbing();
      if (store.requestsFailing) store.setRequestsFailing(false);
      return;
    }
    if (!store.requestsFailing) store.setRequestsFailing(true);
    probe ??= window.setInterval(() => void api.get('/health').catch(() => undefined), PROBE_MS);
  });
}

/** Asks at once (e.g. after the socket reconnected), when requests were failing. */
export function checkServerHealth(): void {
  if (useStore.getState().requestsFailing) void api.get('/health').catch(() => undefined);
}
