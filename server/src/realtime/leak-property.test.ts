import { expect } from 'chai';
import type { UserDocument } from '../models/user.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import {
  buildWorld,
  epochsAt,
  idOf,
  now,
  Random,
  rights,
  settle,
  VISITOR_KEY,
  type Received,
  type Watcher,
  type World,
} from './leak-property-world.js';
import {
  MODERATION_ACTIONS,
  pickAction,
  RIGHTS_ACTIONS,
  type Run,
} from './leak-property-actions.js';
import { TestClients } from './test-clients.js';

/**
 * P5 and P10, live: random worlds and random sequences of actions through the
 * REST API, and every payload every socket received checked against what its
 * person may see. Deterministic per seed (set LEAK_SEED to replay one world).
 */
const WORLDS = 8;
const ACTIONS = 40;
/** Sockets per person in the crowd world (about 12 people: hundreds of watchers per view). */
const CROWD = 40;
/** Kinds of delivery about a group's member list. */
const MEMBER_EVENTS = new Set(['member:upserted', 'member:removed']);
const BASE_SEED = Number(process.env.LEAK_SEED ?? 0x5eed);
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** The discussion a payload concerns, if any. */
function discussionOf(world: World, { event, payload }: Received): string | null {
  const p = payload as Record<string, unknown> & { discussion?: { id: string } | null };
  if (event === 'notification:new') return p.discussion?.id ?? null;
  if (event === 'vote:mine') return world.polls.find((poll) => poll.id === p.pollId)!.discussionId;
  // About one's own content or account (a moderation notice), or no discussion at all.
  if (['access:revoked', 'feed:resync', 'moderation:notice', 'report:updated'].includes(event))
    return null;
  if (event === 'discussion:upserted') return typeof p.id === 'string' ? p.id : null;
  return typeof p.discussionId === 'string' ? p.discussionId : null;
}

/** Every way one socket's deliveries break P5/P10, as readable lines. */
function violations(world: World, run: Run, watcher: Watcher): string[] {
  const found: string[] = [];
  const userId = watcher.user ? idOf(watcher.user) : null;
  const key = userId ?? VISITOR_KEY;
  const own = watcher.user?.email ?? null;
  const readable = userId ? world.readableAtStart.get(userId)! : world.visitorReadable;
  /** Whether, by the rights in force when it arrived, the socket's person may have it. */
  const allowed = (
    order: number,
    right: 'readable' | 'seesMembers' | 'coordinates' | 'moderates',
    id: string,
  ) => epochsAt(world, order).some((epoch) => epoch[right].get(key)?.has(id) ?? false);
  const everReadable = (order: number, d: string) =>
    world.epochs.some((e) => e.start <= order && (e.readable.get(key)?.has(d) ?? false));
  const revokedAt = new Map<string, number>();
  /** A change after the revocation let the watcher read `d` again (a group reopened), before `order`. */
  const grantedAgain = (d: string, revoked: number, order: number) =>
    world.epochs.some(
      (e) => e.start > revoked && e.start < order && (e.readable.get(key)?.has(d) ?? false),
    );
  let signedOutAt = Infinity;
  for (const r of watcher.received) {
    if (r.event !== 'access:revoked') continue;
    const notice = r.payload as { discussionId?: string };
    if (notice.discussionId) {
      if (!revokedAt.has(notice.discussionId)) revokedAt.set(notice.discussionId, r.order);
    } else signedOutAt = Math.min(signedOutAt, r.order);
  }
  const hasVoted = (pollId: string, order: number) =>
    userId !== null && (run.votes.get(`${userId}:${pollId}`) ?? Infinity) < order;
  const leak = (r: Received, why: string) =>
    found.push(`${watcher.label} got ${r.event} ${why}: ${JSON.stringify(r.payload)}`);

  for (const d of world.discussions)
    if (watcher.refused.has(d.id) === readable.has(d.id))
      found.push(`${watcher.label}: watch of ${d.id} answered against REST readability`);

  for (const r of watcher.received) {
    const p = r.payload as Record<string, unknown>;
    const json = JSON.stringify(r.payload);
    // Moderation: report notes to their reporter only, mute reasons to the muted only, and a
    // hidden comment's text, once hidden, to its author and the moderators of its group only
    // (its coordinators and the members they named).
    for (const report of run.reports)
      if (json.includes(report.note) && report.reporterId !== userId)
        leak(r, "with another person's report note");
    if (r.event === 'report:updated' && !run.reports.some((x) => x.reporterId === userId))
      leak(r, 'though it reported nothing');
    for (const mute of run.mutes)
      if (json.includes(mute.reason) && mute.userId !== userId)
        leak(r, "with another person's mute reason");
    for (const hidden of run.hidden) {
      const groupId = world.discussions.find((d) => d.id === hidden.discussionId)?.groupId;
      if (
        r.order > hidden.settled &&
        json.includes(hidden.body) &&
        hidden.authorId !== userId &&
        !(groupId && allowed(r.order, 'moderates', groupId))
      )
        leak(r, 'with the text of a hidden comment');
    }
    // A member's email, in a coordinator's view of their group, is the one other address allowed.
    const member = r.event === 'member:upserted' ? (p.member as { id: string }) : null;
    const listed =
      member && allowed(r.order, 'coordinates', String(p.groupId))
        ? world.emails.get(member.id)
        : undefined;
    for (const email of json.match(EMAIL) ?? [])
      if (email !== own && email !== listed) leak(r, `with the email ${email}`);
    for (const [id, email] of world.emails)
      if (id !== userId && email !== listed && json.includes(email))
        leak(r, `with the email of ${id}`);
    // Their own membership is theirs to know, whatever the group lets others see.
    const about = member?.id ?? p.userId;
    if (
      MEMBER_EVENTS.has(r.event) &&
      about !== userId &&
      !allowed(r.order, 'seesMembers', String(p.groupId))
    )
      leak(r, `about the members of ${String(p.groupId)}, which it may not see`);
    if (signedOutAt < r.order) leak(r, 'after being signed out');

    const d = discussionOf(world, r);
    if (d !== null && r.event === 'discussion:removed') {
      if (!everReadable(r.order, d)) leak(r, `about ${d}, which it could never read`);
    } else if (d !== null) {
      if (!everReadable(r.order, d)) leak(r, `about ${d}, which it could never read`);
      else if (!allowed(r.order, 'readable', d)) leak(r, `about ${d}, which it may no longer read`);
      else if (
        (revokedAt.get(d) ?? Infinity) < r.order &&
        !(epochsAt(world, r.order).at(-1)!.readable.get(key)?.has(d) ?? false) &&
        !grantedAgain(d, revokedAt.get(d)!, r.order)
      )
        leak(r, `about ${d} after its access:revoked`);
    }

    const poll = world.polls.find((candidate) => candidate.id === (p.pollId ?? p.id));
    if (r.event === 'vote:mine' && !hasVoted(String(p.pollId), r.order))
      leak(r, 'though it is not the voter');
    if (r.event === 'timeline:event' && p.kind === 'vote_cast' && poll?.anonymous && p.actor)
      leak(r, 'naming the voter of an anonymous poll');
    // Vote events, live or in a catch-up, only where the results may be seen (never when anonymous).
    const voteEvents =
      r.event === 'timeline:event'
        ? [p]
        : r.event === 'ack:watch'
          ? (p.events as Array<Record<string, unknown>>)
          : [];
    for (const e of voteEvents) {
      const of = world.polls.find((candidate) => candidate.id === e.pollId);
      if (e.kind !== 'vote_cast' || !of) continue;
      const closed = (run.closes.get(of.id) ?? []).some((sent) => sent < r.order);
      if (of.anonymous) leak(r, 'with a vote event of an anonymous poll');
      else if (of.hideResults === 'until_closed' && !closed)
        leak(r, 'with a vote event of an until_closed poll before its closing');
      else if (of.hideResults === 'until_voted' && !closed && !hasVoted(of.id, r.order))
        leak(r, 'with a vote event of an until_voted poll before voting');
    }
    // A tally arrives alone, or on a vote's timeline entry: both are judged alike.
    const tally =
      r.event === 'poll:upserted'
        ? p
        : r.event === 'timeline:event'
          ? (p.poll as Record<string, unknown> | undefined)
          : undefined;
    const tallied = tally && world.polls.find((candidate) => candidate.id === tally.id);
    if (!tally || !tallied) continue;
    if (tallied.anonymous) {
      const shown = JSON.stringify({ ...tally, author: null });
      for (const person of world.people) {
        const voted = run.votes.has(`${idOf(person.user)}:${tallied.id}`);
        const { name, handle } = person.user;
        if (voted && [idOf(person.user), name, handle].some((s) => s && shown.includes(s)))
          leak(r, `naming ${person.label}, a voter of an anonymous poll`);
      }
    }
    const counted = 'results' in tally || 'voterCount' in tally;
    if (counted && tally.closedAt === null && tallied.hideResults === 'until_closed')
      leak(r, 'with the results of an open until_closed poll');
    if (counted && tally.closedAt === null && tallied.hideResults === 'until_voted')
      if (!hasVoted(tallied.id, r.order)) leak(r, 'with until_voted results before voting');
  }
  return found;
}

/** The model of rights the oracle judges by must agree with REST at the end of a run. */
async function modelDisagreements(app: TestApp, world: World): Promise<string[]> {
  const found: string[] = [];
  const { readable } = rights(world);
  for (const { label, user } of [...world.people, { label: 'visitor', user: null }]) {
    const key = user ? idOf(user) : VISITOR_KEY;
    if (world.deactivated.has(key)) continue;
    for (const d of world.discussions) {
      const ok = (await app.get(`/api/discussions/${d.id}`, { as: user })).status === 200;
      if (ok !== readable.get(key)!.has(d.id))
        found.push(`model says ${label} ${ok ? 'may not' : 'may'} read ${d.id}, REST disagrees`);
    }
  }
  return found;
}

/** A socket that lost read access while watching must have been told so. */
async function missingRevocations(app: TestApp, world: World): Promise<string[]> {
  const found: string[] = [];
  for (const watcher of world.watchers) {
    if (!watcher.user || world.deactivated.has(idOf(watcher.user))) continue;
    for (const d of world.discussions) {
      if (watcher.refused.has(d.id)) continue;
      if ((await app.get(`/api/discussions/${d.id}`, { as: watcher.user })).status === 200)
        continue;
      const told = watcher.received.some(
        (r) =>
          r.event === 'access:revoked' &&
          [d.id, undefined].includes((r.payload as { discussionId?: string }).discussionId),
      );
      if (!told) found.push(`${watcher.label} lost ${d.id} but never got access:revoked`);
    }
  }
  return found;
}

describe('live updates never leak (property over random worlds)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let clients: TestClients;
  const totals = {
    actions: 0,
    accepted: 0,
    payloads: 0,
    byKind: {} as Record<string, number>,
    byEvent: {} as Record<string, number>,
  };

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(async () => {
    console.log(
      `      leak property: ${WORLDS} worlds, ${totals.actions} actions (${totals.accepted} accepted), ${totals.payloads} payloads checked; accepted by kind ${JSON.stringify(totals.byKind)}; received ${JSON.stringify(totals.byEvent)}`,
    );
    await app.close();
  });

  it('the oracle itself catches each kind of leak (synthetic deliveries)', () => {
    const person = (id: string, name: string) =>
      ({
        _id: id,
        name,
        handle: name.toLowerCase(),
        email: `${name}@example.net`,
      }) as unknown as UserDocument;
    const [ann, bob] = [person('u1', 'Ann'), person('u2', 'Bob')];
    const world = {
      people: [
        { label: 'ann', user: ann },
        { label: 'bob', user: bob },
      ],
      groups: [],
      discussions: [{ id: 'd1', groupId: 'g1', private: true }],
      guests: new Map(),
      deactivated: new Set<string>(),
      epochs: [
        {
          start: 0,
          settled: 0,
          readable: new Map([
            ['u1', new Set(['d1'])],
            [VISITOR_KEY, new Set<string>()],
          ]),
          seesMembers: new Map([
            ['u1', new Set(['g1'])],
            [VISITOR_KEY, new Set<string>()],
          ]),
          coordinates: new Map<string, Set<string>>(),
          moderates: new Map<string, Set<string>>(),
        },
        {
          start: 5,
          settled: 7,
          readable: new Map([['u1', new Set<string>()]]),
          seesMembers: new Map<string, Set<string>>(),
          coordinates: new Map<string, Set<string>>(),
          moderates: new Map<string, Set<string>>(),
        },
      ],
      polls: [
        { id: 'p1', discussionId: 'd1', anonymous: true, hideResults: 'until_closed' },
        { id: 'p2', discussionId: 'd1', anonymous: false, hideResults: 'until_voted' },
      ],
      watchers: [],
      readableAtStart: new Map([['u1', new Set(['d1'])]]),
      visitorReadable: new Set<string>(),
      emails: new Map([
        ['u1', ann.email],
        ['u2', bob.email],
      ]),
    } as World;
    const run: Run = {
      votes: new Map([['u2:p1', 0]]),
      closes: new Map(),
      comments: [],
      reports: [{ reporterId: 'u2', note: 'REPORTNOTE1' }],
      hidden: [{ id: 'c1', body: 'HIDDENBODY', authorId: 'u2', discussionId: 'd1', settled: 0 }],
      mutes: [{ userId: 'u2', reason: 'MUTEREASON1' }],
      actions: 0,
      accepted: 0,
    };
    const deliveries = (
      user: UserDocument | null,
      received: Array<[string, unknown]>,
    ): Watcher => ({
      label: user?.name ?? 'visitor',
      user,
      socket: null as unknown as Watcher['socket'],
      refused: new Set(user ? [] : ['d1']),
      received: received.map(([event, payload], order) => ({ event, payload, order: order + 1 })),
    });
    const vote = { discussionId: 'd1', kind: 'vote_cast', pollId: 'p1', actor: { id: 'u2' } };
    const found = [
      ...violations(
        world,
        run,
        deliveries(ann, [
          ['comment:upserted', { discussionId: 'd1', author: { email: bob.email } }],
          [
            'poll:upserted',
            { id: 'p1', discussionId: 'd1', closedAt: null, results: {}, note: 'Bob' },
          ],
          ['poll:upserted', { id: 'p2', discussionId: 'd1', closedAt: null, voterCount: 1 }],
          ['vote:mine', { pollId: 'p1' }],
          ['access:revoked', { discussionId: 'd1', reason: 'access_removed' }],
          ['timeline:event', vote],
          ['timeline:event', { ...vote, pollId: 'p2', actor: { id: 'u2' } }],
          ['member:upserted', { groupId: 'g1', member: { id: 'u2', email: bob.email } }],
          ['comment:upserted', { discussionId: 'd1' }],
          ['report:updated', { note: 'REPORTNOTE1' }],
          ['moderation:notice', { reason: 'MUTEREASON1' }],
          ['comment:upserted', { discussionId: 'd1', body: 'HIDDENBODY' }],
        ]),
      ),
      ...violations(world, run, deliveries(null, [['member:removed', { groupId: 'g1' }]])),
      ...violations(world, run, deliveries(null, [['timeline:event', { ...vote, actor: null }]])),
    ].join('\n');
    for (const expected of [
      'with the email Bob@example.net',
      'with the email of u2',
      'naming bob, a voter of an anonymous poll',
      'with the results of an open until_closed poll',
      'with until_voted results before voting',
      'though it is not the voter',
      'about d1, which it may no longer read',
      'after its access:revoked',
      'about the members of g1, which it may not see',
      'naming the voter of an anonymous poll',
      'with a vote event of an anonymous poll',
      'with a vote event of an until_voted poll before voting',
      'visitor got timeline:event about d1, which it could never read',
      "with another person's report note",
      'though it reported nothing',
      "with another person's mute reason",
      'with the text of a hidden comment',
    ])
      expect(found).to.include(expected);
    // A tally on a timeline entry is judged as one alone would be.
    const tally = { id: 'p2', discussionId: 'd1', closedAt: null, voterCount: 1 };
    const carried = violations(
      world,
      run,
      deliveries(ann, [['timeline:event', { discussionId: 'd1', kind: 'x', poll: tally }]]),
    );
    expect(carried.join('\n')).to.include('with until_voted results before voting');
  });

  const worlds = [
    ...Array.from({ length: WORLDS }, (_, i) => ({ seed: BASE_SEED + i, copies: 1 })),
    // A crowd: every person (and a visitor) on CROWD sockets, hundreds per view.
    { seed: BASE_SEED + WORLDS, copies: CROWD },
  ];
  for (const { seed, copies } of worlds) {
    const crowd = copies > 1 ? `, ${copies} sockets per person` : '';
    it(`world with seed ${seed}${crowd}: every payload fits its recipient`, async function () {
      if (copies > 1) this.timeout(240_000);
      const rnd = new Random(seed);
      const world = await buildWorld(app, clients, rnd, copies);
      const run: Run = {
        votes: new Map(),
        closes: new Map(),
        comments: [],
        reports: [],
        hidden: [],
        mutes: [],
        actions: 0,
        accepted: 0,
      };
      for (let a = 0; a < ACTIONS; a++) {
        const { name, action } = pickAction(rnd);
        const status = await action(run, world, rnd, app);
        expect(status, `seed ${seed}: a server error`).to.be.below(500);
        run.actions++;
        if (status >= 200 && status < 300) {
          run.accepted++;
          totals.byKind[name] = (totals.byKind[name] ?? 0) + 1;
          if (RIGHTS_ACTIONS.has(name)) {
            // Let the change reach every socket, so the next deliveries are judged by the new rights alone.
            await app.server.realtime.barrier();
            await settle(world, 50);
            world.epochs[world.epochs.length - 1].settled = now();
          }
          if (MODERATION_ACTIONS.has(name)) {
            await app.server.realtime.barrier();
            await settle(world, 50);
            const last = run.hidden.at(-1);
            if (last && last.settled === Infinity) last.settled = now();
          }
        }
      }
      await settle(world);
      const found = [
        ...world.watchers.flatMap((watcher) => violations(world, run, watcher)),
        ...(await missingRevocations(app, world)),
        ...(await modelDisagreements(app, world)),
      ];
      totals.actions += run.actions;
      totals.accepted += run.accepted;
      for (const { event } of world.watchers.flatMap((w) => w.received)) {
        totals.payloads++;
        totals.byEvent[event] = (totals.byEvent[event] ?? 0) + 1;
      }
      expect(
        found,
        `seed ${seed} (LEAK_SEED=${seed} replays it):\n${found.join('\n')}`,
      ).to.deep.equal([]);
    });
  }
});
