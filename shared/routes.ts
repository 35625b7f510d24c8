/**
 * The web client's route table and the builders of links into it. The client
 * declares its routes from `ROUTES` (web/src/App.tsx) and the server builds
 * every link it emails from the builders below (server/src/mail), so a link
 * in an email cannot point at a page the client does not have. The Markdown
 * renderer uses `matchRoute` to decide which links may stay client-side.
 */

/** Every page of the web client, as react-router path patterns (`:param`, trailing `/*`). */
export const ROUTES = {
  home: '/',
  signIn: '/signin',
  signUp: '/signup',
  signInLink: '/sign-in-link',
  resetPassword: '/reset-password',
  verifyEmail: '/verify-email',
  groups: '/groups',
  newGroup: '/groups/new',
  group: '/g/:handle/*',
  discussion: '/d/:id',
  invitation: '/invitations/:token',
  joinLink: '/join/:token',
  meeting: '/m/:id',
  projector: '/m/:id/projector',
  notifications: '/notifications',
  settings: '/settings',
  privacy: '/privacy',
  thirdParties: '/third-parties',
  unsubscribe: '/unsubscribe/:token',
  personalData: '/personal-data',
  myModeration: '/moderation',
  siteModeration: '/admin/moderation',
} as const;

export type RouteName = keyof typeof ROUTES;

/** The id of the email notifications section of the settings page, which emails link to. */
export const EMAIL_NOTIFICATIONS_ANCHOR = 'email-notifications';

/** The element id of a comment on its discussion page, the target of `#comment-…` links. */
export const commentAnchor = (commentId: string) => `comment-${commentId}`;
/** The element id of a poll card on its discussion page, the target of `#poll-…` links. */
export const pollAnchor = (pollId: string) => `poll-${pollId}`;

const segment = (value: string) => encodeURIComponent(value);

/**
 * A discussion's page, optionally scrolled to one comment or poll. The page
 * reads the fragment after loading (the browser cannot: the elements do not
 * exist yet when it arrives), scrolls there and highlights it.
 */
export function discussionPath(
  id: string,
  target?: { commentId?: string | null; pollId?: string | null },
): string {
  const base = `/d/${segment(id)}`;
  if (target?.commentId) return `${base}#${commentAnchor(target.commentId)}`;
  if (target?.pollId) return `${base}#${pollAnchor(target.pollId)}`;
  return base;
}

/**
 * A group's page. Open and closed groups are reached by their handle; a secret
 * group has none (so nobody can confirm it exists by guessing one) and is
 * reached by its id. The server accepts either.
 */
export const groupPath = (group: { id: string; handle: string | null }) =>
  `/g/${segment(group.handle ?? group.id)}`;

/** A meeting's page (facilitator controls or participant view, by the viewer's rights). */
export const meetingPath = (id: string) => `/m/${segment(id)}`;

/** A meeting's read-only projector view, for a shared screen in the room. */
export const projectorPath = (id: string) => `/m/${segment(id)}/projector`;

/** The page that shows a shareable join link and joins through it. */
export const joinLinkPath = (token: string) => `/join/${segment(token)}`;

/** The page that shows and accepts an invitation. */
export const invitationPath = (token: string) => `/invitations/${segment(token)}`;

/** The page of an unsubscribe link: it says what stops and asks before POSTing. */
export const unsubscribePath = (token: string) => `/unsubscribe/${segment(token)}`;

/** The settings page, at its email notifications section. */
export const emailSettingsPath = () => `${ROUTES.settings}#${EMAIL_NOTIFICATIONS_ANCHOR}`;

/** The pages account emails open; each POSTs the token from its query string. */
export const ACCOUNT_LINK_ROUTES = {
  verify_email: ROUTES.verifyEmail,
  password_reset: ROUTES.resetPassword,
  signin_link: ROUTES.signInLink,
} as const;

export type AccountLinkPurpose = keyof typeof ACCOUNT_LINK_ROUTES;

/** An account email's link: its page with the single-use token in the query string. */
export const accountLinkPath = (purpose: AccountLinkPurpose, token: string) =>
  `${ACCOUNT_LINK_ROUTES[purpose]}?token=${encodeURIComponent(token)}`;

/** An absolute link for emails: the public URL (any trailing slash dropped) and a path built above. */
export const appUrl = (publicUrl: string, path: string) =>
  `${publicUrl.replace(/\/+$/, '')}${path}`;

/**
 * The route a path (no query, no fragment) belongs to, or null when no page
 * of the client would show it (the client would answer "Not found"). Matches
 * like react-router: `:param` takes one non-empty segment, a trailing `/*`
 * takes the rest, a trailing slash is ignored. A segment that does not
 * decode (`%zz`) matches nothing.
 */
export function matchRoute(pathname: string): RouteName | null {
  if (!pathname.startsWith('/')) return null;
  const parts = splitPath(pathname);
  if (parts === null) return null;
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    if (patternMatches(splitPath(ROUTES[name]) ?? [], parts)) return name;
  }
  return null;
}

function splitPath(path: string): string[] | null {
  const parts = path.split('/').filter((p) => p !== '');
  try {
    return parts.map((p) => (p.startsWith(':') || p === '*' ? p : decodeURIComponent(p)));
  } catch {
    return null;
  }
}

function patternMatches(pattern: string[], parts: string[]): boolean {
  const splat = pattern[pattern.length - 1] === '*';
  const fixed = splat ? pattern.slice(0, -1) : pattern;
  if (splat ? parts.length < fixed.length : parts.length !== fixed.length) return false;
  return fixed.every((p, i) => (p.startsWith(':') ? parts[i] !== '' : p === parts[i]));
}
