import { expect } from 'chai';
import type { HideResults } from '../../../../shared/domain.js';
import type { TimelineEventDto } from '../../../../shared/dto.js';
import { appendTimelineEvent } from '../../commands/timeline.js';
import { DiscussionModel } from '../../models/discussion.js';
import type { UserDocument } from '../../models/user.js';
import { addMember } from '../../test/factories.js';
import {
  buildPoll,
  buildPollScene,
  buildVote,
  type PollScene,
  type ErrorResponse,
  type PollPage,
  type VoteResponse,
  type VotePage,
} from '../../test/factories-polls.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type Res = VoteResponse & PollPage & ErrorResponse;

/** Keys only results carry; none may appear anywhere in a response while results are hidden. */
const RESULT_KEYS = [
  '"results"',
  '"voterCount"',
  '"score"',
  '"voters"',
  '"share"',
  '"leaders"',
  '"rank"',
  '"blocked"',
];
const OTHER_REASON = 'the reason of someone else';

type ViewName =
  | 'visitor'
  | 'outsider'
  | 'member who has not voted'
  | 'member who has voted'
  | 'coordinator'
  | 'poll author';
type State = 'open' | 'closed' | 'past its closing time';

/**
 * Whether each view may see results, by setting and state (the rule in policies/poll.ts, as a table).
 * `until_revealed` belongs to meetings' quick votes, tested in server/src/meetings/.
 */
const EXPECTED: Record<
  Exclude<HideResults, 'until_revealed'>,
  Record<State, ViewName[] | 'all'>
> = {
  never: { open: 'all', closed: 'all', 'past its closing time': 'all' },
  until_voted: { open: ['member who has voted'], closed: 'all', 'past its closing time': 'all' },
  until_closed: { open: [], closed: 'all', 'past its closing time': 'all' },
};

describe('poll routes: hidden results, for every view', () => {
  let app: TestApp;
  let scene: PollScene;
  let voted: UserDocument;
  let author: UserDocument;
  before(async () => {
    app = await startTestApp();
    scene = await buildPollScene();
    voted = await addMember(scene.group);
    author = await addMember(scene.group);
  });
  after(() => app.close());

  const views = (): Array<[ViewName, UserDocument | null]> => [
    ['visitor', null],
    ['outsider', scene.outsider],
    ['member who has not voted', scene.member],
    ['member who has voted', voted],
    ['coordinator', scene.coordinator],
    ['poll author', author],
  ];

  for (const [mode, byState] of Object.entries(EXPECTED) as Array<
    [HideResults, Record<State, ViewName[] | 'all'>]
  >) {
    for (const [state, allowed] of Object.entries(byState) as Array<[State, ViewName[] | 'all']>) {
      it(`hideResults ${mode}, ${state}: results, voter count and votes reach exactly ${allowed === 'all' ? 'everyone' : allowed.join(', ') || 'nobody'}`, async () => {
        const poll = await buildPoll({
          discussion: scene.discussion,
          author,
          hideResults: mode,
          closedAt: state === 'closed' ? new Date() : null,
          closesAt:
            state === 'past its closing time'
              ? new Date(Date.now() - 1000)
              : new Date(Date.now() + 86_400_000),
        });
        await buildVote(poll, voted, [{ optionId: 'agree', value: 1 }], 'my own reason');
        await buildVote(poll, scene.guest, [{ optionId: 'block', value: 1 }], OTHER_REASON);
        // Vote events as a timeline may hold them (written at closing, or before the rule).
        const after = (await DiscussionModel.findById(scene.discussion._id))!.lastSequence;
        for (const voter of [voted, scene.guest])
          await appendTimelineEvent({
            discussionId: scene.discussion._id,
            kind: 'vote_cast',
            actorId: voter._id,
            pollId: poll._id,
          });

        for (const [name, viewer] of views()) {
          const sees = allowed === 'all' || allowed.includes(name);
          const events = await app.get<{ items: TimelineEventDto[]; nextCursor: string | null }>(
            `/api/discussions/${String(scene.discussion._id)}/events?after=${after}`,
            { as: viewer },
          );
          expect(events.status, name).to.equal(200);
          expect(
            events.body.items.filter((e) => e.kind === 'vote_cast' && e.pollId === String(poll._id))
              .length,
            `${name}: vote events`,
          ).to.equal(sees ? 2 : 0);
          const one = await app.get<Res>(`/api/polls/${String(poll._id)}`, { as: viewer });
          const list = await app.get<Res>(
            `/api/discussions/${String(scene.discussion._id)}/polls`,
            { as: viewer },
          );
          const votes = await app.get<VotePage & ErrorResponse>(
            `/api/polls/${String(poll._id)}/votes`,
            { as: viewer },
          );
          expect(one.status, name).to.equal(200);
          const listed = list.body.items.find((p) => p.id === String(poll._id));
          expect(listed, name).not.to.equal(undefined);
          for (const presented of [one.body.poll, listed!]) {
            expect(presented.abilities.canSeeResults, name).to.equal(sees);
            if (sees) {
              expect(presented.voterCount, name).to.equal(2);
              expect(
                presented.results?.options.map((o) => o.score),
                name,
              ).to.deep.equal([1, 0, 0, 1]);
            } else {
              const json = JSON.stringify(presented);
              for (const key of RESULT_KEYS) expect(json, `${name}: ${key}`).not.to.include(key);
              expect(json, name).not.to.include(OTHER_REASON);
            }
          }
          if (sees) {
            expect(votes.status, name).to.equal(200);
            expect(votes.body.items.map((v) => v.reason).sort(), name).to.deep.equal([
              'my own reason',
              OTHER_REASON,
            ]);
          } else {
            expect(votes.status, name).to.equal(403);
            expect(votes.body.error.id, name).to.equal('results_hidden');
            expect(JSON.stringify(votes.body), name).not.to.include(OTHER_REASON);
          }
          if (name === 'member who has voted')
            expect(one.body.poll.myVote?.reason).to.equal('my own reason');
        }
      });
    }
  }

  it('until_voted: the response to one’s first vote carries the results; until_closed: it does not', async () => {
    for (const [mode, shown] of [
      ['until_voted', true],
      ['until_closed', false],
    ] as const) {
      const poll = await buildPoll({ discussion: scene.discussion, hideResults: mode });
      await buildVote(poll, scene.guest, [{ optionId: 'block', value: 1 }], OTHER_REASON);
      const res = await app.request<Res>('PUT', `/api/polls/${String(poll._id)}/vote`, {
        as: scene.member,
        body: { choices: [{ optionId: 'agree', value: 1 }] },
      });
      expect(res.status).to.equal(201);
      expect('results' in res.body.poll, mode).to.equal(shown);
      expect('voterCount' in res.body.poll, mode).to.equal(shown);
      if (!shown)
        for (const key of RESULT_KEYS) expect(JSON.stringify(res.body), key).not.to.include(key);
    }
  });
});
