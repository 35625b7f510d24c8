/**
 * Error ids for the reference: what each id of `shared/api.ts` means and its
 * status (typed against `ErrorId`, so a new id does not compile until it is
 * described here), and which id each error factory a handler throws produces,
 * found by calling the factories themselves.
 */
import type { ErrorId } from '../../shared/api.js';
import { RateLimitedError } from '../../server/src/auth/rate-limit.js';
import * as accountErrors from '../../server/src/commands/accounts/errors.js';
import * as groupErrors from '../../server/src/commands/groups/errors.js';
import { PollClosedError } from '../../server/src/commands/polls/cast-vote.js';
import { AnonymityIrreversibleError } from '../../server/src/commands/polls/update-poll.js';
import * as errors from '../../server/src/errors.js';
import * as meetingErrors from '../../server/src/meetings/errors.js';
import { ResultsHiddenError } from '../../server/src/routes/polls/votes.js';

/** Every error id with its HTTP status and when clients meet it. */
export const ERROR_IDS = {
  invalid_request: [400, 'The body is not valid JSON or uses an unsupported encoding.'],
  validation_error: [400, 'An input failed validation; `field` names it (dotted path).'],
  invalid_token: [
    400,
    'An emailed token (verification, reset, sign-in link) is invalid, used or expired.',
  ],
  authentication_required: [401, 'The route needs a signed-in user and none was presented.'],
  invalid_credentials: [
    401,
    'Sign-in refused: unknown address, wrong password or unusable account, alike.',
  ],
  authorization_error: [403, 'The viewer may see the record but not do this.'],
  wrong_password: [403, 'The password confirming a grave step is wrong; `field` is `password`.'],
  account_deactivated: [
    403,
    'Right password, deactivated account: `POST /api/auth/reactivate` restores it.',
  ],
  csrf_rejected: [
    403,
    'A cookie-authenticated write without `x-quorum-csrf: 1`, or from another origin.',
  ],
  results_hidden: [
    403,
    "The poll's results (and so its votes) are hidden from this viewer for now.",
  ],
  not_found: [
    404,
    'No such record, or one the viewer may not know exists; also bad ids and unknown routes.',
  ],
  conflict: [
    409,
    'The write collides with current state (duplicate, already decided, closed poll...).',
  ],
  last_coordinator: [409, 'The change would leave the group without an active coordinator.'],
  meeting_state: [409, 'The meeting is not in a state (scheduled, live, ended) that allows this.'],
  meeting_no_discussion: [409, 'Quick votes need the meeting linked to a discussion first.'],
  minutes_published: [409, 'The meeting’s minutes are already published; they no longer change.'],
  anonymous_poll: [409, 'Not possible on an anonymous poll (reopening, turning anonymity off).'],
  watch_limit: [
    409,
    'A socket already watches as many discussions (or groups) as one connection may.',
  ],
  invitation_used: [410, 'The invitation was already accepted (single use).'],
  invitation_expired: [410, 'The invitation has expired.'],
  invitation_revoked: [410, 'The invitation was withdrawn.'],
  invitation_wrong_account: [
    403,
    'The signed-in account does not have the invited address; the message has a masked hint.',
  ],
  join_link_expired: [410, 'The join link is past its expiry.'],
  join_link_revoked: [410, 'The join link was withdrawn by a coordinator.'],
  join_link_used_up: [410, 'The join link has been used as many times as it allows.'],
  payload_too_large: [413, 'The body exceeds the size limit.'],
  avatar_too_large: [413, 'A profile photo over 5 MB or 50 megapixels; `field` is `file`.'],
  avatar_unsupported_type: [
    415,
    'A profile photo that is not a JPEG, PNG or WebP image by its content; `field` is `file`.',
  ],
  avatar_unreadable: [
    400,
    'A profile photo that cannot be decoded (a damaged file); `field` is `file`.',
  ],
  rate_limited: [
    429,
    "Too many attempts; `Retry-After` (or a socket ack's `retryAfterMs`) says when.",
  ],
  muted: [
    403,
    'Muted in this group by its moderators; `until` says when it lifts (absent: until lifted).',
  ],
  suspended: [403, 'The account is suspended across the site; `until` says when it ends.'],
  banned: [
    403,
    'Banned from the group: joining, requests and invitations are refused until lifted.',
  ],
  slow_mode: [429, 'Slow mode in this discussion; `until` says when the next comment is allowed.'],
  internal_error: [500, 'A bug; the message is deliberately generic.'],
  service_unavailable: [503, 'The database is unreachable or the server is shutting down.'],
} as const satisfies Record<ErrorId, readonly [number, string]>;

/** Whether a string is one of the API's error ids. */
export function isErrorId(value: unknown): value is ErrorId {
  return typeof value === 'string' && Object.hasOwn(ERROR_IDS, value);
}

/** Factories handlers use that their modules do not export (so cannot be called here). */
const UNEXPORTED_FACTORIES: Record<string, ErrorId> = {
  /** routes/polls/lifecycle.ts */
  AnonymousReopenError: 'anonymous_poll',
};

const MODULES: Record<string, unknown>[] = [
  errors,
  meetingErrors,
  accountErrors,
  groupErrors,
  { PollClosedError, AnonymityIrreversibleError, ResultsHiddenError, RateLimitedError },
];

function idProducedBy(factory: unknown): ErrorId | null {
  if (typeof factory !== 'function') return null;
  try {
    const isClass = /^class\b/.test(Function.prototype.toString.call(factory));
    const made: unknown = isClass
      ? new (factory as new () => unknown)()
      : (factory as () => unknown)();
    return made instanceof errors.HttpError && isErrorId(made.id) ? made.id : null;
  } catch {
    return null;
  }
}

/** Error factory or class name → the id it produces. */
export function errorFactoryIds(): Map<string, ErrorId> {
  const ids = new Map<string, ErrorId>(Object.entries(UNEXPORTED_FACTORIES));
  for (const mod of MODULES) {
    for (const [name, value] of Object.entries(mod)) {
      if (!/^[A-Z]\w*Error$/.test(name) || name === 'HttpError') continue;
      const id = idProducedBy(value);
      if (id) ids.set(name, id);
    }
  }
  return ids;
}

/** Orders ids by status, then as listed in {@link ERROR_IDS}. */
export function sortErrorIds(ids: Iterable<ErrorId>): ErrorId[] {
  const order = Object.keys(ERROR_IDS);
  return [...new Set(ids)].sort(
    (a, b) => ERROR_IDS[a][0] - ERROR_IDS[b][0] || order.indexOf(a) - order.indexOf(b),
  );
}
