/** Catalogue entries (see catalogue.ts) for the privacy policy, third parties and support access. */
import type { RouteDoc } from './catalogue.js';

const COORDINATORS = "The group's coordinators.";

export const PRIVACY_ROUTES: Record<string, RouteDoc> = {
  'GET /api/privacy/policy': {
    purpose: 'The privacy policy this server publishes (POLICY_FILE) and its version (P16).',
    ok: [200],
    body: 'PrivacyPolicyDto',
    note: 'Markdown; the web client renders headings, paragraphs, lists, emphasis and links only.',
  },
  'GET /api/privacy/third-parties': {
    purpose: 'The processors that receive personal data, from configuration (P3).',
    ok: [200],
    body: '{ processors: ThirdPartyDto[] }',
    note: 'Empty with the embedded engine and the local outbox; `mail` with SMTP; `database` with MONGODB_URI.',
  },
  'GET /api/privacy/policy/notice': {
    purpose: 'Whether the policy changed since this person last dismissed its notice (P16).',
    ok: [200],
    body: 'PolicyNoticeDto',
    note: 'Due only for accounts older than the change, and never for the first version served.',
  },
  'POST /api/privacy/policy/seen': {
    purpose: 'Dismiss the notice of the current policy version.',
    ok: [204],
    body: '',
  },
  'GET /api/groups/:group/support-access': {
    purpose:
      'The support access in force (or null) and the support history: grants, revocations and every read by an administrator under a grant (P12).',
    auth: COORDINATORS,
    ok: [200],
    body: '{ grant: SupportGrantDto | null, audit: SupportAuditEntryDto[] }',
    note: 'The latest 200 entries, newest first; a read names the route read, never what it returned.',
    errors: ['authorization_error', 'not_found'],
  },
  'POST /api/groups/:group/support-access': {
    purpose:
      "Let the site's administrators read the group's discussions, members (with emails) and votes for `hours` (1-168) (P12).",
    auth: COORDINATORS,
    ok: [201],
    body: '{ grant: SupportGrantDto }',
    note: 'Replaces the grant in force, if any. Read only: a grant never lets an administrator act.',
    errors: ['authorization_error', 'not_found'],
  },
  'DELETE /api/groups/:group/support-access': {
    purpose: 'Revoke the support access in force at once.',
    auth: COORDINATORS,
    ok: [204],
    body: '',
    note: '204 also when no grant was in force.',
    errors: ['authorization_error', 'not_found'],
  },
  'GET /api/support/grants': {
    purpose: 'For site administrators: the groups whose coordinators granted support access now.',
    auth: 'Site administrators.',
    ok: [200],
    body: '{ items: { group: { id, name, handle }, expiresAt }[] }',
  },
};
