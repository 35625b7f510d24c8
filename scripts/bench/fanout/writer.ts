/**
 * The writes of the fan-out benchmark, offered open-loop at a fixed rate (a
 * slow server does not slow the writer down, so saturation shows as growing
 * latency instead of hiding as fewer writes): comments and votes through
 * Quorum's REST API, or the baselines' `POST /emit`.
 */
import type { Meeting } from './seed.js';

export type WriteKind = 'comment' | 'vote';

export interface Offered {
  /** When write k+1 was sent (ms since epoch, sub-ms): latencies are measured from here. */
  sentAt: number[];
  failures: number;
  firstError: string | null;
  /** Request-to-response times (ms). */
  responseMs: number[];
  /** When the last response came back. */
  doneAt: number;
}

const now = () => performance.timeOrigin + performance.now();

/** Builds the request for write `mark` (1-based) of a kind. */
export type RequestFor = (kind: WriteKind, mark: number) => { url: string; init: RequestInit };

export function quorumRequests(url: string, meeting: Meeting): RequestFor {
  return (kind, mark) => {
    const json = (method: string, token: string, body: unknown): RequestInit => ({
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return kind === 'comment'
      ? {
          url: `${url}/api/discussions/${meeting.discussionId}/comments`,
          init: json('POST', meeting.writerTokens[mark % meeting.writerTokens.length], {
            body: `bench c${mark}`,
            clientId: `c${mark}`,
          }),
        }
      : {
          url: `${url}/api/polls/${meeting.pollId}/vote`,
          init: json('PUT', meeting.voterTokens[mark - 1], {
            choices: [{ optionId: meeting.optionId, value: 1 }],
          }),
        };
  };
}

export function baselineRequests(url: string, payloadBytes: number): RequestFor {
  return (kind, mark) => ({
    url: `${url}/emit`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind, mark, bytes: payloadBytes }),
    },
  });
}

/** Sends `count` writes of `kind` at `rate` per second, on schedule, and waits for every response. */
export async function offer(
  kind: WriteKind,
  count: number,
  rate: number,
  requestFor: RequestFor,
): Promise<Offered> {
  const sentAt: number[] = [];
  const responseMs: number[] = [];
  let failures = 0;
  let firstError: string | null = null;
  const start = now();
  const pending: Array<Promise<void>> = [];
  for (let k = 1; k <= count; k++) {
    const due = start + ((k - 1) * 1000) / rate;
    const wait = due - now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const { url, init } = requestFor(kind, k);
    const sent = now();
    sentAt.push(sent);
    pending.push(
      fetch(url, init).then(
        async (res) => {
          responseMs.push(now() - sent);
          if (res.status >= 300) {
            failures += 1;
            firstError ??= `${res.status} ${await res.text()}`;
          } else await res.arrayBuffer();
        },
        (error: unknown) => {
          failures += 1;
          firstError ??= String(error);
        },
      ),
    );
  }
  await Promise.all(pending);
  return { sentAt, failures, firstError, responseMs, doneAt: now() };
}
