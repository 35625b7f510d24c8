/**
 * The privacy matrix (P5, P6, P8, P10; issue 3 "Tests"): every GET route of
 * the running app, read from Express's router stack, called by every viewer of
 * one world, and every response checked against the email, anonymity,
 * hidden-results, existence and content rules; then a few write routes. A new
 * GET route without a row in GET_ROUTE_CASES fails the matrix.
 */
import { expect } from 'chai';
import { Types } from 'mongoose';
import { startTestApp, type TestApp } from '../test/harness.js';
import {
  allowedEmails,
  buildPrivacyWorld,
  knownEmails,
  VIEWERS,
  type PrivacyWorld,
  type SignedInKey,
  type ViewerKey,
} from '../test/privacy-world.js';
import { GET_ROUTE_CASES, servedGetRoutes, urlOf, type RouteCase } from '../test/route-catalog.js';

/** One response as a viewer got it; `label` names the route and the case. */
interface Seen {
  label: string;
  viewer: ViewerKey;
  body: unknown;
  /** About the anonymous ballot: nothing may name a voter. */
  ballot?: boolean;
}
interface Cell extends Seen {
  route: string;
  case: RouteCase;
  url: string;
  status: number;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A whole-word, case-insensitive pattern for a name, handle or id. */
const word = (text: string) => new RegExp(`(^|[^\\w])${escape(text)}($|[^\\w])`, 'i');

/** Every string (values and keys) of a JSON value with its path. */
function* strings(value: unknown, path = '$'): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value))
    for (const [i, v] of value.entries()) yield* strings(v, `${path}[${i}]`);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      yield [`${path} (key)`, key];
      yield* strings(inner, `${path}.${key}`);
    }
  }
}

/** Every object of a JSON value with its path. */
function* objects(value: unknown, path = '$'): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(value))
    for (const [i, v] of value.entries()) yield* objects(v, `${path}[${i}]`);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    yield [path, record];
    for (const [key, inner] of Object.entries(record)) yield* objects(inner, `${path}.${key}`);
  }
}

/** A failure naming the route, the viewer and the field. */
const at = (seen: Seen, path: string, detail: string) =>
  `${seen.label} as ${seen.viewer}: ${path} ${detail}`;

/** Rule 1 (P5, P8): only the viewer's own address and, for a coordinator, their group's. */
function emailViolations(w: PrivacyWorld, seen: Seen): string[] {
  const allowed = allowedEmails(w, seen.viewer);
  const m3 = w.people.M3;
  const out: string[] = [];
  for (const [path, text] of strings(seen.body)) {
    const found = text.match(EMAIL) ?? [];
    for (const email of found)
      if (!allowed.has(email.toLowerCase())) out.push(at(seen, path, `has ${email}`));
    // The world's addresses in another spelling (URL-encoded, upper case) count too.
    const plain = text.replace(/%40/gi, '@').toLowerCase();
    if (found.length === 0)
      for (const email of knownEmails(w))
        if (plain.includes(email) && !allowed.has(email)) out.push(at(seen, path, `has ${email}`));
    // A deactivated member is named nowhere, nor shown by their photo (P8).
    for (const trace of [m3.name, m3.handle, m3.email, w.avatars.M3])
      if (word(trace).test(text)) out.push(at(seen, path, `names deactivated M3 (${trace})`));
  }
  return out;
}

/** Rule 2: an anonymous vote is choices, a reason and `mine`; nothing ties it to its voter. */
function anonymityViolations(w: PrivacyWorld, seen: Seen): string[] {
  const out: string[] = [];
  if (seen.ballot) {
    for (const key of w.anonymous.voters) {
      const voter = w.people[key];
      for (const trace of [String(voter._id), voter.name, voter.handle])
        for (const [path, text] of strings(seen.body))
          if (word(trace).test(text)) out.push(at(seen, path, `names voter ${key}`));
    }
  }
  const reasons = Object.entries(w.anonymous.reasons);
  for (const [path, record] of objects(seen.body)) {
    const reason = typeof record.reason === 'string' ? record.reason : null;
    const owner = reasons.find(([, r]) => reason?.startsWith(r))?.[0];
    if (!owner) continue;
    const own = owner === seen.viewer;
    const extra = Object.keys(record).filter(
      (k) =>
        !['choices', 'reason', 'mine'].includes(k) && !(own && /^(created|updated)At$/.test(k)),
    );
    if (extra.length > 0) out.push(at(seen, path, `anonymous vote has ${extra.join()}`));
    if ('mine' in record && record.mine !== own) out.push(at(seen, path, `has mine: ${!own}`));
  }
  return out;
}

/** Rule 3: a hidden poll's results and other voters' reasons reach no one who may not see them. */
function hiddenResultViolations(w: PrivacyWorld, seen: Seen): string[] {
  const out: string[] = [];
  for (const key of ['PH', 'PV'] as const) {
    const { reasons, seeResults } = w.hidden[key];
    if (seeResults.includes(seen.viewer)) continue;
    const id = w.polls[key];
    for (const [path, record] of objects(seen.body))
      for (const field of ['results', 'voterCount', 'tally', 'choices'])
        if ((record.id === id || record.pollId === id) && field in record)
          out.push(at(seen, path, `has ${key}'s ${field}`));
    for (const [path, text] of strings(seen.body))
      for (const [voter, reason] of Object.entries(reasons))
        if (voter !== seen.viewer && text.includes(reason))
          out.push(at(seen, path, `has ${voter}'s reason in ${key}`));
  }
  return out;
}

/** Private titles and texts, and secret groups, reach only their readers (P6, P10). */
function secretViolations(w: PrivacyWorld, seen: Seen): string[] {
  const text = JSON.stringify(seen.body);
  return w.secrets
    .filter((s) => !s.readers.includes(seen.viewer) && text.includes(s.text))
    .map((s) => at(seen, '$', `reveals ${s.what}`));
}

describe('privacy matrix: every GET route × every viewer (P5, P6, P8, P10)', () => {
  let app: TestApp;
  let w: PrivacyWorld;
  let served: string[];
  const cells: Cell[] = [];
  const as = (viewer: ViewerKey) => (viewer === 'visitor' ? null : w.people[viewer]);
  const check = (failures: string[]) => expect(failures, failures.join('\n')).to.deep.equal([]);
  const each = (test: (cell: Cell) => string[]) => check(cells.flatMap(test));
  const bodyOf = (route: string, label: string, viewer: ViewerKey) =>
    cells.find((c) => c.route === route && c.case.label === label && c.viewer === viewer)!.body;

  before(async function () {
    this.timeout(120_000);
    app = await startTestApp();
    w = await buildPrivacyWorld(app);
    served = servedGetRoutes(app);
    for (const route of served) {
      const path = route.slice('GET '.length);
      for (const c of GET_ROUTE_CASES[route]?.(w) ?? []) {
        const url = urlOf(path, c);
        const responses = await Promise.all(VIEWERS.map((v) => app.get(url, { as: as(v) })));
        VIEWERS.forEach((viewer, i) => {
          const { status, body } = responses[i];
          const label = `${route} ${c.label}`;
          cells.push({ route, case: c, url, viewer, status, body, label, ballot: c.ballot });
        });
      }
    }
  });
  after(() => app.close());

  it('has a row of world ids for every GET route the app serves, and none for a route that is gone', () => {
    expect(
      served.filter((r) => !(r in GET_ROUTE_CASES)),
      `GET routes without a row: ${served.filter((r) => !(r in GET_ROUTE_CASES)).join(', ')}`,
    ).to.be.empty;
    expect(
      Object.keys(GET_ROUTE_CASES).filter((r) => !served.includes(r)),
      'rows without a route',
    ).to.be.empty;
    const cases = new Set(cells.map((c) => c.label)).size;
    console.log(
      `      matrix: ${served.length} GET routes, ${cases} cases × ${VIEWERS.length} viewers = ${cells.length} responses`,
    );
  });

  it('answers every viewer with the status the world implies (never a 5xx)', () => {
    each((c) => {
      const expected = c.case.expect(c.viewer);
      return c.status === expected
        ? []
        : [at(c, c.url, `is ${c.status}, expected ${expected}: ${JSON.stringify(c.body)}`)];
    });
  });

  it('rule 4: the visitor and X get the same 404 as for nothing at all about S, SG, SG2 and private discussions', async () => {
    const failures: string[] = [];
    const concerned = cells.filter((c) => c.case.about && ['visitor', 'X'].includes(c.viewer));
    for (const c of concerned) {
      // A ghost: the same request about ids that do not exist (secret groups have no handle).
      const ghost = c.url.replace(/[0-9a-f]{24}/g, () => new Types.ObjectId().toHexString());
      const none = await app.get(ghost, { as: as(c.viewer) });
      if (c.status !== 404 || JSON.stringify(c.body) !== JSON.stringify(none.body))
        failures.push(at(c, c.url, `${c.status} ${JSON.stringify(c.body)} vs ${none.status}`));
    }
    expect(concerned.length).to.be.greaterThan(80);
    check(failures);
  });

  it('rule 1: no response carries an address but the viewer’s own or, to a coordinator, their group’s', () => {
    each((c) => emailViolations(w, c));
    // Not vacuous: addresses do reach those allowed to see them.
    const members = 'GET /api/groups/:group/members';
    expect(JSON.stringify(bodyOf(members, 'G', 'C'))).to.include(w.people.M1.email);
    expect(JSON.stringify(bodyOf(members, 'O', 'C2'))).to.include(w.people.M1.email);
    const invitations = JSON.stringify(bodyOf('GET /api/groups/:group/invitations', 'S', 'C3'));
    expect(invitations).to.include(w.invitedEmails.S[0]);
    expect(JSON.stringify(bodyOf('GET /api/me', 'me', 'Gu'))).to.include(w.people.Gu.email);
  });

  it('rule 2: no response ties an anonymous vote to its voter, for anyone, voters and author included', () => {
    each((c) => anonymityViolations(w, c));
    for (const voter of w.anonymous.voters) {
      const page = bodyOf('GET /api/polls/:id/votes', 'PA', voter) as {
        items: Array<{ mine: boolean; reason: string }>;
      };
      expect(page.items).to.have.length(3);
      const mine = page.items.filter((v) => v.mine).map((v) => v.reason);
      expect(mine).to.deep.equal([w.anonymous.reasons[voter]]);
    }
    expect(cells.filter((c) => c.ballot && c.status === 200).length).to.be.greaterThan(30);
  });

  it('rule 3: hidden results (until closing; until one has voted) reach no one early', () => {
    each((c) => hiddenResultViolations(w, c));
    // Not vacuous: the same fields carry results where they are not hidden.
    for (const [poll, viewer] of [
      ['PN', 'M2'],
      ['PV', 'M1'],
    ] as const) {
      const { poll: dto } = bodyOf('GET /api/polls/:id', poll, viewer) as { poll: object };
      expect(dto).to.include.keys('results', 'voterCount');
    }
    const { poll } = bodyOf('GET /api/polls/:id', 'PH', 'Gu') as {
      poll: { myVote: { reason: string } };
    };
    expect(poll.myVote.reason).to.equal(w.hidden.PH.reasons.Gu);
  });

  it('keeps secret groups and private titles and texts from everyone who may not read them (P6, P10)', () => {
    // An invitation link is a capability: it shows what it invites to, to whoever holds it.
    each((c) => (c.case.capability ? [] : secretViolations(w, c)));
  });

  describe('write routes answer by the same rules', () => {
    const send = async (who: SignedInKey, method: string, path: string, body: unknown = {}) => {
      const res = await app.request(method, path, { as: w.people[who], body });
      const seen: Seen = {
        label: `${method} ${path}`,
        viewer: who,
        body: res.body,
        ballot: path.includes(w.polls.PA),
      };
      check([
        ...emailViolations(w, seen),
        ...anonymityViolations(w, seen),
        ...hiddenResultViolations(w, seen),
        ...secretViolations(w, seen),
      ]);
      return res.status;
    };

    it('posting comments and reacting: people are named without their addresses', async () => {
      const path = `/api/discussions/${w.discussions.DG1}/comments`;
      for (const who of ['M1', 'Gu', 'C'] as const)
        expect(await send(who, 'POST', path, { body: `Noted @${w.people.M2.handle}` })).to.equal(
          201,
        );
      const reaction = `/api/comments/${w.comments.DG1}/reactions/:eyes:`;
      expect(await send('C', 'PUT', reaction)).to.equal(200);
    });

    it('casting and changing votes: anonymous stays anonymous, hidden stays hidden', async () => {
      const vote = (optionId: string, reason: string) => ({
        choices: [{ optionId, value: 1 }],
        reason,
      });
      const { PA, PH, PN } = w.polls;
      const changed = vote('abstain', w.anonymous.reasons.M2!);
      expect(await send('M2', 'PUT', `/api/polls/${PA}/vote`, changed)).to.equal(200);
      const roof = vote('blue', 'Blue, on reflection');
      expect(await send('M2', 'PUT', `/api/polls/${PH}/vote`, roof)).to.equal(201);
      expect(await send('M1', 'PUT', `/api/polls/${PH}/vote`, roof)).to.equal(200);
      const named = vote('agree', 'Changed my mind');
      expect(await send('M2', 'PUT', `/api/polls/${PN}/vote`, named)).to.equal(200);
    });

    it('promoting and demoting: the coordinator sees that member’s address, no one else’s', async () => {
      const member = (g: 'G' | 'O' | 'S', who: SignedInKey, action: string) =>
        `/api/groups/${w.groups[g].id}/members/${String(w.people[who]._id)}/${action}`;
      const promoted = await app.post(member('G', 'M2', 'promote'), {}, { as: w.people.C });
      expect(promoted.body).to.have.nested.property('member.email', w.people.M2.email);
      check(emailViolations(w, { label: 'promote M2', viewer: 'C', body: promoted.body }));
      expect(await send('C', 'POST', member('G', 'M2', 'demote'))).to.equal(200);
      expect(await send('C2', 'POST', member('O', 'M1', 'promote'))).to.equal(200);
      expect(await send('M1', 'POST', member('G', 'M2', 'promote'))).to.equal(403);
      expect(await send('X', 'POST', member('S', 'C3', 'promote'))).to.equal(404);
    });
  });
});
