import { expect } from 'chai';
import { EventModel } from '../../models/event.js';
import { PollModel } from '../../models/poll.js';
import {
  buildPoll,
  buildPollScene,
  buildVote,
  type PollScene,
  type ErrorResponse,
  type PollPage,
  type PollResponse,
} from '../../test/factories-polls.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type Input = Record<string, unknown>;
type Res = PollResponse & PollPage & ErrorResponse;

const inADay = () => new Date(Date.now() + 24 * 3600 * 1000).toISOString();
const MISSING = '0123456789abcdef01234567';

describe('poll routes: creating, reading and listing polls', () => {
  let app: TestApp;
  let scene: PollScene;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());
  beforeEach(async () => {
    scene = await buildPollScene();
  });

  describe('POST /api/discussions/:id/polls', () => {
    const path = () => `/api/discussions/${String(scene.discussion._id)}/polls`;
    const choice = () => ({
      kind: 'single_choice',
      title: 'Which colour?',
      options: [{ label: 'Red' }, { label: 'Green' }],
      closesAt: inADay(),
    });

    it('creates a poll with generated option ids, a poll_created event, and presents it to its author', async () => {
      const res = await app.post<Res>(
        path(),
        { ...choice(), details: 'Pick one', hideResults: 'until_voted' },
        { as: scene.member },
      );
      expect(res.status).to.equal(201);
      const poll = res.body.poll;
      expect(poll).to.include({
        kind: 'single_choice',
        title: 'Which colour?',
        details: 'Pick one',
        closedAt: null,
        myVote: null,
      });
      expect(poll.author).to.deep.equal({
        id: String(scene.member._id),
        name: scene.member.name,
        handle: scene.member.handle,
        avatarUrl: null,
        status: 'active',
      });
      expect(poll.options.map((o) => o.label)).to.deep.equal(['Red', 'Green']);
      expect(poll.options[0].id).to.be.a('string').and.not.equal(poll.options[1].id);
      expect(poll.settings).to.include({
        hideResults: 'until_voted',
        anonymous: false,
        reasonRequired: false,
        voterIds: null,
      });
      expect(poll.abilities).to.include({
        canVote: true,
        canClose: true,
        canEdit: true,
        canReopen: false,
        canSeeResults: false,
      });
      expect(poll).not.to.have.property('results');
      expect(poll).not.to.have.property('voterCount');
      const stored = await PollModel.findById(poll.id);
      expect(stored!.authorId.equals(scene.member._id)).to.equal(true);
      const event = await EventModel.findOne({ pollId: stored!._id });
      expect(event).to.include({ kind: 'poll_created' });
      expect(String(event!.actorId)).to.equal(String(scene.member._id));
    });

    it('gives proposals their four positions and lets them go without a closing time', async () => {
      const res = await app.post<Res>(
        path(),
        { kind: 'proposal', title: 'Adopt the plan' },
        { as: scene.coordinator },
      );
      expect(res.status).to.equal(201);
      expect(res.body.poll.options.map((o) => o.id)).to.deep.equal([
        'agree',
        'abstain',
        'disagree',
        'block',
      ]);
      expect(res.body.poll.closesAt).to.equal(null);
    });

    it('accepts voters who take part and refuses anyone else, naming the entry', async () => {
      const ok = await app.post<Res>(
        path(),
        { ...choice(), voterIds: [String(scene.member._id), String(scene.guest._id)] },
        { as: scene.coordinator },
      );
      expect(ok.status).to.equal(201);
      expect(ok.body.poll.settings.voterIds).to.deep.equal([
        String(scene.member._id),
        String(scene.guest._id),
      ]);
      const bad = await app.post<Res>(
        path(),
        { ...choice(), voterIds: [String(scene.member._id), String(scene.outsider._id)] },
        { as: scene.coordinator },
      );
      expect(bad.status).to.equal(400);
      expect(bad.body.error).to.include({ id: 'validation_error', field: 'voterIds.1' });
    });

    const invalid: Array<[string, () => Input, string]> = [
      ['an operator key', () => ({ ...choice(), title: { $gt: '' } }), 'title.$gt'],
      ['an unknown kind', () => ({ ...choice(), kind: 'lottery' }), 'kind'],
      ['a blank title', () => ({ ...choice(), title: '   ' }), 'title'],
      ['an unknown field', () => ({ ...choice(), voterCount: 5 }), 'body'],
      ['a single option', () => ({ ...choice(), options: [{ label: 'Only' }] }), 'options'],
      [
        'a blank option label',
        () => ({ ...choice(), options: [{ label: 'A' }, { label: ' ' }] }),
        'options[1].label',
      ],
      [
        'options on a proposal',
        () => ({ kind: 'proposal', title: 'P', options: [{ label: 'x' }] }),
        'options',
      ],
      ['a setting of another kind', () => ({ ...choice(), maxScore: 10 }), 'maxScore'],
      [
        'minChoices above maxChoices',
        () => ({ ...choice(), kind: 'multiple_choice', minChoices: 2, maxChoices: 1 }),
        'minChoices',
      ],
      [
        'a count poll without threshold',
        () => ({ kind: 'count', title: 'Who is in?', closesAt: inADay() }),
        'threshold',
      ],
      [
        'a meeting time without a time zone',
        () => ({
          ...choice(),
          kind: 'meeting_time',
          options: [
            { label: 'a', startsAt: '2031-01-01T10:00' },
            { label: 'b', startsAt: '2031-01-02T10:00Z' },
          ],
        }),
        'options[0].startsAt',
      ],
      [
        'a past closing time',
        () => ({ ...choice(), closesAt: '2001-01-01T00:00:00Z' }),
        'closesAt',
      ],
      ['a closing time that is no date', () => ({ ...choice(), closesAt: 'tomorrow' }), 'closesAt'],
      [
        'no closing time on a non-proposal',
        () => ({ ...choice(), closesAt: undefined }),
        'closesAt',
      ],
      [
        'an unknown results setting',
        () => ({ ...choice(), hideResults: 'sometimes' }),
        'hideResults',
      ],
      ['a voter id that is no id', () => ({ ...choice(), voterIds: ['bob'] }), 'voterIds.0'],
    ];
    for (const [what, body, field] of invalid) {
      it(`answers 400 naming ${field} for ${what}`, async () => {
        const res = await app.post<Res>(path(), body(), { as: scene.coordinator });
        expect(res.status).to.equal(400);
        expect(res.body.error).to.include({ id: 'validation_error', field });
        expect(await PollModel.countDocuments({ discussionId: scene.discussion._id })).to.equal(0);
      });
    }

    it('answers 401 to a visitor', async () => {
      expect((await app.post(path(), choice())).status).to.equal(401);
    });

    it('answers 403 to a reader who may not start polls: outsider, guest, member when members may not', async () => {
      expect((await app.post(path(), choice(), { as: scene.outsider })).status).to.equal(403);
      expect((await app.post(path(), choice(), { as: scene.guest })).status).to.equal(403);
      const locked = await buildPollScene({ permissions: { membersCanRaiseProposals: false } });
      const res = await app.post(
        `/api/discussions/${String(locked.discussion._id)}/polls`,
        choice(),
        { as: locked.member },
      );
      expect(res.status).to.equal(403);
    });

    it('answers 404 for a private discussion the viewer may not read, and for malformed ids', async () => {
      const closed = await buildPollScene({ privacy: 'secret' });
      const res = await app.post(
        `/api/discussions/${String(closed.discussion._id)}/polls`,
        choice(),
        { as: scene.member },
      );
      expect(res.status).to.equal(404);
      expect(
        (await app.post('/api/discussions/nope/polls', choice(), { as: scene.member })).status,
      ).to.equal(404);
    });
  });

  describe('GET /api/polls/:id and GET /api/discussions/:id/polls', () => {
    it('shows a poll in a public discussion to a visitor, with abilities all false', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      const res = await app.get<Res>(`/api/polls/${String(poll._id)}`);
      expect(res.status).to.equal(200);
      expect(res.body.poll).to.include({ id: String(poll._id), kind: 'proposal', myVote: null });
      expect(res.body.poll.abilities).to.deep.equal({
        canVote: false,
        canClose: false,
        canReopen: false,
        canPublishOutcome: false,
        canEdit: false,
        canSeeResults: true,
      });
      expect(res.body.poll.results?.options).to.have.length(4);
    });

    it('answers 404 for polls in discussions the viewer may not read, missing polls and malformed ids', async () => {
      const secret = await buildPollScene({ privacy: 'closed' });
      const poll = await buildPoll({ discussion: secret.discussion });
      expect((await app.get(`/api/polls/${String(poll._id)}`)).status).to.equal(404);
      expect(
        (await app.get(`/api/polls/${String(poll._id)}`, { as: scene.member })).status,
      ).to.equal(404);
      expect(
        (await app.get(`/api/polls/${String(poll._id)}`, { as: secret.guest })).status,
      ).to.equal(200);
      expect((await app.get(`/api/polls/${MISSING}`, { as: scene.member })).status).to.equal(404);
      expect((await app.get('/api/polls/123', { as: scene.member })).status).to.equal(404);
      const list = await app.get(`/api/discussions/${String(secret.discussion._id)}/polls`, {
        as: scene.member,
      });
      expect(list.status).to.equal(404);
    });

    it('lists a discussion’s polls newest first, page by page, with the viewer’s own vote', async () => {
      const polls = [];
      for (let i = 0; i < 3; i++)
        polls.push(await buildPoll({ discussion: scene.discussion, title: `Poll ${i}` }));
      await buildVote(polls[2], scene.member, [{ optionId: 'agree', value: 1 }], 'yes');
      const path = `/api/discussions/${String(scene.discussion._id)}/polls`;
      const first = await app.get<Res>(`${path}?limit=2`, { as: scene.member });
      expect(first.status).to.equal(200);
      expect(first.body.items.map((p) => p.title)).to.deep.equal(['Poll 2', 'Poll 1']);
      expect(first.body.items[0].myVote).to.include({ reason: 'yes' });
      expect(first.body.items[1].myVote).to.equal(null);
      const second = await app.get<Res>(
        `${path}?limit=2&cursor=${first.body.nextCursor as string}`,
        { as: scene.member },
      );
      expect(second.body.items.map((p) => p.title)).to.deep.equal(['Poll 0']);
      expect(second.body.nextCursor).to.equal(null);
    });

    it('answers 400 to operators in the query of a single poll', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      const res = await app.get<Res>(`/api/polls/${String(poll._id)}?view[$ne]=x`, {
        as: scene.member,
      });
      expect(res.status).to.equal(400);
      expect(res.body.error.id).to.equal('validation_error');
    });

    it('answers 400 to a bad page request, including operators in the query', async () => {
      const path = `/api/discussions/${String(scene.discussion._id)}/polls`;
      expect(
        (await app.get<Res>(`${path}?limit=0`, { as: scene.member })).body.error.field,
      ).to.equal('limit');
      expect(
        (await app.get<Res>(`${path}?cursor=abc`, { as: scene.member })).body.error.field,
      ).to.equal('cursor');
      expect((await app.get(`${path}?cursor[$gt]=a`, { as: scene.member })).status).to.equal(400);
    });
  });
});
