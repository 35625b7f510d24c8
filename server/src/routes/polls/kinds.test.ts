import { expect } from 'chai';
import type { PollKind } from '../../../../shared/domain.js';
import { tally, type Choice, type PollRules } from '../../../../shared/polls.js';
import {
  buildPollScene,
  type PollScene,
  type ErrorResponse,
  type VotePage,
  type VoteResponse,
} from '../../test/factories-polls.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type Res = VoteResponse & VotePage & ErrorResponse;
type Voter = 'coordinator' | 'member' | 'guest';

const colours = [
  { id: 'red', label: 'Red' },
  { id: 'green', label: 'Green' },
  { id: 'blue', label: 'Blue' },
];
const c = (entries: Record<string, number>): Choice[] =>
  Object.entries(entries).map(([optionId, value]) => ({ optionId, value }));

interface KindCase {
  kind: PollKind;
  /** Create-poll fields besides kind, title and closesAt. */
  create: Record<string, unknown>;
  ballots: Array<[Voter, Choice[]]>;
  /** A voter changing their vote afterwards. */
  change: [Voter, Choice[]];
  leaders: string[];
  /** One option's expected score after the change, worked out by hand. */
  score: [string, number];
  extra?: Record<string, unknown>;
}

const cases: KindCase[] = [
  {
    kind: 'proposal',
    create: {},
    ballots: [
      ['coordinator', c({ agree: 1 })],
      ['member', c({ disagree: 1 })],
      ['guest', c({ agree: 1 })],
    ],
    change: ['member', c({ block: 1 })],
    leaders: ['agree'],
    score: ['block', 1],
    extra: { blocked: true },
  },
  {
    kind: 'single_choice',
    create: { options: colours },
    ballots: [
      ['coordinator', c({ red: 1 })],
      ['member', c({ green: 1 })],
      ['guest', c({ green: 1 })],
    ],
    change: ['coordinator', c({ blue: 1 })],
    leaders: ['green'],
    score: ['red', 0],
  },
  {
    kind: 'multiple_choice',
    create: { options: colours, minChoices: 1, maxChoices: 2 },
    ballots: [
      ['coordinator', c({ red: 1, green: 1 })],
      ['member', c({ green: 1 })],
      ['guest', c({ green: 1, blue: 1 })],
    ],
    change: ['guest', c({ blue: 1 })],
    leaders: ['green'],
    score: ['green', 2],
  },
  {
    kind: 'score',
    create: { options: colours, minScore: 0, maxScore: 10 },
    ballots: [
      ['coordinator', c({ red: 5, green: 10, blue: 0 })],
      ['member', c({ red: 7, green: 3, blue: 0 })],
      ['guest', c({ red: 9, green: 0, blue: 1 })],
    ],
    change: ['guest', c({ red: 9, green: 0, blue: 10 })],
    leaders: ['red'],
    score: ['red', 21],
  },
  {
    kind: 'ranked_choice',
    create: { options: colours },
    ballots: [
      ['coordinator', c({ red: 1, green: 2, blue: 3 })],
      ['member', c({ green: 1, red: 2 })],
      ['guest', c({ green: 1, blue: 2, red: 3 })],
    ],
    change: ['coordinator', c({ blue: 1, red: 2, green: 3 })],
    leaders: ['green'],
    // Borda over 3 options: first 2 points, second 1, third 0. Blue: 2 + 0 + 1.
    score: ['blue', 3],
  },
  {
    kind: 'dot_vote',
    create: { options: colours, dotsPerPerson: 5 },
    ballots: [
      ['coordinator', c({ red: 5 })],
      ['member', c({ green: 3, blue: 2 })],
      ['guest', c({ green: 1, red: 1 })],
    ],
    change: ['coordinator', c({ red: 2, blue: 3 })],
    leaders: ['blue'],
    score: ['blue', 5],
  },
  {
    kind: 'meeting_time',
    create: {
      options: [
        { id: 'mon', label: 'Monday', startsAt: '2031-03-03T10:00:00Z' },
        { id: 'tue', label: 'Tuesday', startsAt: '2031-03-04T11:00:00+01:00' },
        { id: 'wed', label: 'Wednesday', startsAt: '2031-03-05T10:00:00Z' },
      ],
    },
    ballots: [
      ['coordinator', c({ mon: 2, tue: 1, wed: 0 })],
      ['member', c({ mon: 2, tue: 2 })],
      ['guest', c({ mon: 0, tue: 2, wed: 1 })],
    ],
    change: ['guest', c({ mon: 1, tue: 2, wed: 1 })],
    // A tie: yes counts 2, if need be 1; Monday 2 + 2 + 1, Tuesday 1 + 2 + 2.
    leaders: ['mon', 'tue'],
    score: ['wed', 1],
  },
  {
    kind: 'count',
    create: { threshold: 3 },
    ballots: [
      ['coordinator', c({ commit: 1 })],
      ['member', c({ commit: 1 })],
    ],
    change: ['guest', c({ commit: 1 })],
    leaders: ['commit'],
    score: ['commit', 3],
    extra: { committed: 3, thresholdReached: true },
  },
];

describe('poll routes: every kind, end to end', () => {
  let app: TestApp;
  let scene: PollScene;
  before(async () => {
    app = await startTestApp();
    scene = await buildPollScene();
  });
  after(() => app.close());

  for (const k of cases) {
    it(`${k.kind}: create, vote, change a vote, and get the shared tally's results`, async () => {
      const created = await app.post<Res>(
        `/api/discussions/${String(scene.discussion._id)}/polls`,
        {
          kind: k.kind,
          title: `A ${k.kind} poll`,
          closesAt: new Date(Date.now() + 86_400_000).toISOString(),
          ...k.create,
        },
        { as: scene.coordinator },
      );
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const poll = created.body.poll;
      const final = new Map<Voter, Choice[]>();
      for (const [voter, choices] of [...k.ballots, k.change]) {
        const res = await app.request<Res>('PUT', `/api/polls/${poll.id}/vote`, {
          as: scene[voter],
          body: { choices, reason: `${voter} thinks so` },
        });
        expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
        expect(res.body.vote.choices).to.deep.equal(choices);
        final.set(voter, choices);
      }

      const res = await app.get<Res>(`/api/polls/${poll.id}`, { as: scene.member });
      const results = res.body.poll.results!;
      const rules: PollRules = { kind: k.kind, ...k.create, options: poll.options };
      expect(results).to.deep.equal(tally(rules, [...final.values()]));
      expect(results.leaders).to.deep.equal(k.leaders);
      expect(results.options.find((o) => o.optionId === k.score[0])?.score).to.equal(k.score[1]);
      if (k.extra) expect(results).to.include(k.extra);
      expect(res.body.poll.voterCount).to.equal(final.size);
      expect(res.body.poll.myVote?.choices).to.deep.equal(final.get('member'));

      const votes = await app.get<Res>(`/api/polls/${poll.id}/votes`, { as: scene.member });
      expect(votes.body.items).to.have.length(final.size);
      expect(votes.body.items.map((v) => v.reason).sort()).to.deep.equal(
        [...final.keys()].map((v) => `${v} thinks so`).sort(),
      );
    });
  }
});
