/**
 * The GET routes the app serves, read from Express's own router stack by
 * `http/route-list.ts` (not from a hand-kept list), so the privacy matrix
 * cannot miss a route someone adds later; and, for each of them, how to call
 * it with the ids of the privacy world and what status each viewer must get.
 */
import { createApp } from '../app.js';
import { listRoutes } from '../http/route-list.js';
import { silentLogger } from '../logger.js';
import {
  DISCUSSION_OF,
  GROUPS,
  VIEWERS,
  type DiscussionKey,
  type GroupKey,
  type PollKey,
  type PrivacyWorld,
  type ViewerKey,
} from './privacy-world.js';
import type { TestApp } from './harness.js';

/**
 * `GET <path>` for every GET route of the test app. The running server wraps
 * its Express app (Socket.IO listens in front of it), so the app is built
 * again by the same `createApp`, with the test app's configuration: every
 * route is registered when the app is built.
 */
export function servedGetRoutes(app: TestApp): string[] {
  const express = createApp({
    config: { nodeEnv: 'test', trustProxy: false, publicUrl: app.url, jwtSecret: app.jwtSecret },
    health: () => Promise.resolve({ mode: 'embedded', reachable: true, latencyMs: 0 }),
    logger: silentLogger,
    mailer: app.server.mailer,
  });
  return listRoutes(express)
    .filter((route) => route.method === 'GET')
    .map((route) => `GET ${route.path}`);
}

/** The `:name` parameters of a route path, in order. */
export function paramsOf(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((match) => match[1]);
}

// ---------------------------------------------------------------------------
// Filling in the routes from the privacy world: for each GET route, the cases
// (path parameters and query from the world's ids) and the status each viewer
// must get. A GET route missing here makes the privacy matrix fail.

/** One way to call a GET route, and the status every viewer must get. */
export interface RouteCase {
  label: string;
  params?: Record<string, string>;
  query?: string;
  expect: (viewer: ViewerKey) => number;
  /** About a secret group or a private discussion: existence must not leak (404, never 403, P6). */
  about?: 'secret' | 'private';
  /** A capability URL (an invitation or join-link token): whoever holds the link may read it. */
  capability?: true;
  /** About the anonymous ballot (DA, PA, PA2): nothing in it may name a voter. */
  ballot?: true;
}

const everyone = () => 200;
const signedIn = (v: ViewerKey) => (v === 'visitor' ? 401 : 200);
const only =
  (list: readonly ViewerKey[], otherwise: (v: ViewerKey) => number = () => 404) =>
  (v: ViewerKey) =>
    list.includes(v) ? 200 : otherwise(v);

/** A route for signed-in readers only: a visitor who may read the record gets 401, others as `rest`. */
const signedInOnly = (rest: (v: ViewerKey) => number) => (v: ViewerKey) =>
  v === 'visitor' && rest(v) === 200 ? 401 : rest(v);

function scopeOf(key: DiscussionKey): Pick<RouteCase, 'about' | 'ballot'> {
  if (key === 'DS') return { about: 'secret' };
  if (key === 'DA') return { about: 'private', ballot: true };
  return key === 'DG1' ? { about: 'private' } : {};
}

const discussionCases = (w: PrivacyWorld): RouteCase[] =>
  (['DG1', 'DA', 'DO', 'DS'] as const).map((key) => ({
    label: key,
    params: { id: w.discussions[key] },
    expect: only(w.readers[key]),
    ...scopeOf(key),
  }));

const pollCases = (w: PrivacyWorld): RouteCase[] =>
  (Object.keys(DISCUSSION_OF) as PollKey[]).map((key) => ({
    label: key,
    params: { id: w.polls[key] },
    expect: only(w.readers[DISCUSSION_OF[key]]),
    ...scopeOf(DISCUSSION_OF[key]),
  }));

/** Votes: PH's results are hidden from everyone, PV's from who has not voted (403 results_hidden). */
const voteCases = (w: PrivacyWorld): RouteCase[] =>
  pollCases(w).map((c) => {
    const hidden = c.label === 'PH' || c.label === 'PV' ? w.hidden[c.label] : null;
    if (!hidden) return c;
    return { ...c, expect: only(hidden.seeResults, (v) => (c.expect(v) === 200 ? 403 : 404)) };
  });

/**
 * One case per group: `allowed` get 200; those who may know the group exists
 * get 401 (visitor) or 403; to everyone else it does not exist (404).
 */
const groupCases = (w: PrivacyWorld, allowed: (g: GroupKey) => readonly ViewerKey[]) =>
  GROUPS.map((g): RouteCase => ({
    label: g,
    params: { group: w.groups[g].id },
    expect: only(allowed(g), (v) =>
      w.groupVisibleTo[g].includes(v) ? (v === 'visitor' ? 401 : 403) : 404,
    ),
    ...(w.groupVisibleTo[g].length < VIEWERS.length ? { about: 'secret' as const } : {}),
  }));

/** The table: every GET route of the API, keyed `GET <path>`. */
export const GET_ROUTE_CASES: Record<string, (w: PrivacyWorld) => RouteCase[]> = {
  'GET /api/health': () => [{ label: 'health', expect: everyone }],
  'GET /api/test/slow': () => [{ label: 'no delay', query: 'ms=0', expect: everyone }],
  'GET /api/session': () => [{ label: 'who is signed in', expect: everyone }],
  'GET /api/me': () => [{ label: 'me', expect: signedIn }],
  // A photo's random id is its capability: whoever was shown the profile may load it. A
  // deactivated person's photo is served to no one (P8); unknown ids and sizes are 404.
  'GET /api/avatars/:id/:size': (w) => [
    { label: 'M1 photo', params: { id: w.avatars.M1, size: '64' }, expect: everyone },
    { label: 'M3 photo', params: { id: w.avatars.M3, size: '128' }, expect: () => 404 },
    { label: 'unknown photo', params: { id: 'A'.repeat(22), size: '128' }, expect: () => 404 },
    { label: 'unknown size', params: { id: w.avatars.M1, size: '100' }, expect: () => 404 },
  ],
  'GET /api/me/export': () => [{ label: 'own data', expect: signedIn }],
  'GET /api/me/email-preferences': () => [{ label: 'own preferences', expect: signedIn }],
  // A forged token: everyone gets 400 (the signed-out use of real links is tested with the route).
  'GET /api/unsubscribe/:token': () => [
    { label: 'forged token', params: { token: 'e30.e30.forged' }, expect: () => 400 },
  ],
  'GET /api/inbox': () => [{ label: 'inbox', expect: signedIn }],
  'GET /api/privacy/policy': () => [{ label: 'policy', expect: everyone }],
  'GET /api/privacy/third-parties': () => [{ label: 'third parties', expect: everyone }],
  'GET /api/privacy/policy/notice': () => [{ label: 'own notice', expect: signedIn }],
  'GET /api/support/grants': () => [
    { label: 'grants', expect: (v) => (v === 'visitor' ? 401 : 403) },
  ],
  'GET /api/notifications': () => [{ label: 'notifications', expect: signedIn }],
  'GET /api/groups': (w) => [
    { label: 'mine', expect: signedIn },
    { label: 'public', query: 'public=1', expect: everyone },
    ...(['G', 'S', 'SG2'] as const).map((g): RouteCase => ({
      label: `subgroups of ${g}`,
      query: `parentId=${w.groups[g].id}`,
      expect: only(w.groupVisibleTo[g]),
      ...(g === 'G' ? {} : { about: 'secret' as const }),
    })),
  ],
  'GET /api/groups/:group': (w) => [
    ...groupCases(w, (g) => w.groupVisibleTo[g]),
    {
      label: 'O by handle',
      params: { group: String(w.groups.O.handle) },
      expect: only(w.groupVisibleTo.O),
    },
  ],
  // Open groups show their members to anyone; other groups to their members.
  'GET /api/groups/:group/members': (w) =>
    groupCases(w, (g) => (g === 'O' ? VIEWERS : w.members[g])),
  // A group's meetings: listed to whoever may see the group (filtered to those they may see).
  'GET /api/groups/:group/meetings': (w) => groupCases(w, (g) => w.groupVisibleTo[g]),
  'GET /api/meetings/live': () => [{ label: 'live in own groups', expect: signedIn }],
  // Who may see a meeting is tested with meetings (server/src/meetings/); here: none is no leak.
  'GET /api/meetings/:id': () => [
    { label: 'unknown meeting', params: { id: '0'.repeat(24) }, expect: () => 404 },
  ],
  'GET /api/groups/:group/invitations': (w) => groupCases(w, (g) => w.coordinators[g]),
  'GET /api/groups/:group/join-requests': (w) => groupCases(w, (g) => w.coordinators[g]),
  'GET /api/groups/:group/join-links': (w) => groupCases(w, (g) => w.coordinators[g]),
  'GET /api/groups/:group/support-access': (w) => groupCases(w, (g) => w.coordinators[g]),
  'GET /api/groups/:group/audit': (w) => groupCases(w, (g) => w.coordinators[g]),
  // Review queue and restrictions: the group's moderators (its coordinators in this world).
  'GET /api/groups/:group/moderation/queue': (w) => groupCases(w, (g) => w.coordinators[g]),
  'GET /api/groups/:group/moderation/restrictions': (w) => groupCases(w, (g) => w.coordinators[g]),
  // One's own reports and restrictions only.
  'GET /api/moderation/reports/mine': () => [{ label: 'own reports', expect: signedIn }],
  'GET /api/moderation/me': () => [{ label: 'own restrictions', expect: signedIn }],
  // The site queue is for site administrators, of whom this world has none.
  'GET /api/moderation/site/reports': () => [
    { label: 'no administrator', expect: (v) => (v === 'visitor' ? 401 : 403) },
  ],
  'GET /api/moderation/site/suspensions': () => [
    { label: 'no administrator', expect: (v) => (v === 'visitor' ? 401 : 403) },
  ],
  'GET /api/invitations/:token': (w) =>
    (['G', 'guest', 'S'] as const).map((key) => ({
      label: `token ${key}`,
      params: { token: w.tokens[key] },
      expect: everyone,
      capability: true,
    })),
  // A join link is a capability too: whoever holds it sees the group it leads to.
  'GET /api/join-links/:token': (w) =>
    (['joinG', 'joinS'] as const).map((key) => ({
      label: `token ${key}`,
      params: { token: w.tokens[key] },
      expect: everyone,
      capability: true,
    })),
  'GET /api/discussions': (w) =>
    (['G', 'O', 'S', 'SG2'] as const).map((g): RouteCase => ({
      label: `in ${g}`,
      query: `groupId=${w.groups[g].id}`,
      expect: only(w.groupVisibleTo[g]),
      ...(g === 'S' || g === 'SG2' ? { about: 'secret' as const } : {}),
    })),
  'GET /api/discussions/:id': discussionCases,
  'GET /api/discussions/:id/comments': discussionCases,
  'GET /api/discussions/:id/events': discussionCases,
  'GET /api/discussions/:id/polls': discussionCases,
  'GET /api/polls/:id': pollCases,
  'GET /api/polls/:id/votes': voteCases,
  // Version histories name who wrote what: signed-in readers only.
  'GET /api/discussions/:id/context/versions': (w) =>
    discussionCases(w).map((c) => ({ ...c, expect: signedInOnly(c.expect) })),
  'GET /api/polls/:id/details/versions': (w) =>
    pollCases(w).map((c) => ({ ...c, expect: signedInOnly(c.expect) })),
  'GET /api/comments/:id/history': (w) =>
    (['DG1', 'DO', 'DS'] as const).map((key) => ({
      label: `comment in ${key}`,
      params: { id: w.comments[key] },
      expect: only(w.readers[key]),
      ...scopeOf(key),
    })),
};

/** The URL of a case: parameters filled in (every one, or it throws), query appended. */
export function urlOf(path: string, c: RouteCase): string {
  const names = paramsOf(path);
  const given = Object.keys(c.params ?? {});
  if (names.length !== given.length || names.some((n) => !given.includes(n)))
    throw new Error(`${path} (${c.label}): parameters ${given.join()} do not fill ${names.join()}`);
  const filled = path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(c.params![name]));
  return c.query ? `${filled}?${c.query}` : filled;
}
