/**
 * What the code cannot say about a route by itself: its purpose in one line,
 * who may call it when that is subtler than "signed in", the success answer,
 * and the errors raised below the handler (loaders, commands). The list of
 * routes, their schemas, `requireUser` and the errors the handler throws
 * itself come from the running app; the test fails when this catalogue and the
 * app disagree on which routes exist.
 */
import type { ErrorId } from '../../shared/api.js';
import { CONTENT_ROUTES } from './routes-content.js';
import { PEOPLE_ROUTES } from './routes-people.js';
import { PRIVACY_ROUTES } from './routes-privacy.js';
import { PERSONAL_DATA_ROUTES } from './routes-personal-data.js';
import { MODERATION_ROUTES } from './routes-moderation.js';
import { MEETING_ROUTES } from './routes-meetings.js';

/** The hand-written part of one route's entry. */
export interface RouteDoc {
  /** One line: what the route is for. */
  purpose: string;
  /** Who may call it, when "signed in" / "anyone" (read from the handler) is not the whole story. */
  auth?: string;
  /** Success statuses, most usual first. */
  ok: number[];
  /** The success body, naming records by their type (`{ group: GroupDetailDto }`); empty for none. */
  body: string;
  /** Anything else a client must know: when each status is used, which field a conflict names. */
  note?: string;
  /** Errors raised outside the handler's own code (404s of loaders, conflicts in commands). */
  errors?: ErrorId[];
}

/** A part of the reference; a route goes to the section with its longest matching prefix. */
export interface Section {
  title: string;
  prefixes: string[];
}

export const SECTIONS: Section[] = [
  { title: 'Health', prefixes: ['/api/health'] },
  { title: 'Accounts and sessions', prefixes: ['/api/auth', '/api/session'] },
  { title: 'Profile', prefixes: ['/api/me', '/api/avatars'] },
  { title: 'Email', prefixes: ['/api/me/email-preferences', '/api/unsubscribe'] },
  { title: 'Groups', prefixes: ['/api/groups'] },
  {
    title: 'Members',
    prefixes: ['/api/groups/:group/members', '/api/groups/:group/leave', '/api/groups/:group/join'],
  },
  { title: 'Invitations', prefixes: ['/api/groups/:group/invitations', '/api/invitations'] },
  { title: 'Join links', prefixes: ['/api/groups/:group/join-links', '/api/join-links'] },
  { title: 'Join requests', prefixes: ['/api/groups/:group/join-requests', '/api/join-requests'] },
  { title: 'Discussions', prefixes: ['/api/discussions'] },
  { title: 'Comments', prefixes: ['/api/discussions/:id/comments', '/api/comments'] },
  {
    title: 'Timeline and read state',
    prefixes: ['/api/discussions/:id/events', '/api/discussions/:id/read'],
  },
  { title: 'Polls and votes', prefixes: ['/api/discussions/:id/polls', '/api/polls'] },
  { title: 'Meetings', prefixes: ['/api/groups/:group/meetings', '/api/meetings'] },
  { title: 'Inbox and notifications', prefixes: ['/api/inbox', '/api/notifications'] },
  { title: 'Privacy policy and third parties', prefixes: ['/api/privacy'] },
  {
    title: 'Support access',
    prefixes: ['/api/groups/:group/support-access', '/api/support'],
  },
  {
    title: 'Personal data and the end of an account',
    prefixes: [
      '/api/me/export',
      '/api/me/deactivate',
      '/api/me/delete',
      '/api/auth/reactivate',
      '/api/admin',
      '/api/groups/:group/audit',
    ],
  },
  {
    title: 'Moderation',
    prefixes: ['/api/moderation', '/api/groups/:group/moderation', '/api/groups/:group/moderators'],
  },
];

/** Every route's hand-written entry, keyed `METHOD /path` exactly as the app declares it. */
export const CATALOGUE: Record<string, RouteDoc> = {
  ...PEOPLE_ROUTES,
  ...CONTENT_ROUTES,
  ...PRIVACY_ROUTES,
  ...PERSONAL_DATA_ROUTES,
  ...MODERATION_ROUTES,
  ...MEETING_ROUTES,
};

const segments = (p: string) => p.split('/').filter(Boolean);

/** The section a path belongs to, by whole path segments (so `/join` is not `/join-requests`). */
export function sectionOf(path: string): string {
  const parts = segments(path);
  let best: { title: string; length: number } | null = null;
  for (const section of SECTIONS) {
    for (const prefix of section.prefixes) {
      const want = segments(prefix);
      const matches = want.every((part, i) => parts[i] === part);
      if (matches && (best === null || want.length > best.length)) {
        best = { title: section.title, length: want.length };
      }
    }
  }
  return best?.title ?? 'Other';
}
