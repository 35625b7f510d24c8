import { expect } from 'chai';
import { EventModel } from '../../models/event.js';
import type { UserDocument } from '../../models/user.js';
import { VoteModel } from '../../models/vote.js';
import { addGuest, addMember, buildUser } from '../../test/factories.js';
import {
  buildPollScene,
  type PollResponse,
  type PollScene,
  type VotePage,
  type VoteResponse,
} from '../../test/factories-polls.js';
import { startTestApp, type ApiResponse, type TestApp } from '../../test/harness.js';

type Res = PollResponse & VoteResponse;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Patterns that would give a voter away: their id, name and handle, as whole words. */
function identityPatterns(voter: UserDocument): RegExp[] {
  return [String(voter._id), voter.name, voter.handle].map(
    (text) => new RegExp(`(^|[^\\w])${escape(text)}($|[^\\w])`, 'i'),
  );
}

describe('poll routes: anonymous polls never reveal who voted, to anyone', () => {
  let app: TestApp;
  let scene: PollScene;
  let author: UserDocument;
  let voters: UserDocument[];
  let viewers: Array<[string, UserDocument | null]>;
  before(async () => {
    app = await startTestApp();
    scene = await buildPollScene();
    author = await addMember(scene.group);
    const tag = Date.now().toString(36);
    voters = [
      await addMember(
        scene.group,
        await buildUser({ name: `Ada Votewell ${tag}`, handle: `adavotes${tag}` }),
      ),
      await addMember(
        scene.group,
        await buildUser({ name: `Bo Ballot ${tag}`, handle: `boballot${tag}` }),
      ),
      await addGuest(
        scene.discussion,
        await buildUser({ name: `Cy Guestvoter ${tag}`, handle: `cyguest${tag}` }),
      ),
    ];
    viewers = [
      ['visitor', null],
      ['outsider', scene.outsider],
      ['member who did not vote', scene.member],
      ['coordinator', scene.coordinator],
      ['poll author', author],
      ...voters.map((v, i): [string, UserDocument] => [`voter ${i}`, v]),
    ];
  });
  after(() => app.close());

  /** Every response a viewer can get about the poll and its discussion, serialised. */
  async function everything(
    pollId: string,
    viewer: UserDocument | null,
  ): Promise<{ votes: VotePage; all: Record<string, ApiResponse<unknown>> }> {
    const d = String(scene.discussion._id);
    const votes = await app.get<VotePage>(`/api/polls/${pollId}/votes`, { as: viewer });
    const all: Record<string, ApiResponse<unknown>> = {
      poll: await app.get(`/api/polls/${pollId}`, { as: viewer }),
      polls: await app.get(`/api/discussions/${d}/polls`, { as: viewer }),
      votes,
      events: await app.get(`/api/discussions/${d}/events`, { as: viewer }),
      discussion: await app.get(`/api/discussions/${d}`, { as: viewer }),
    };
    for (const [what, res] of Object.entries(all))
      expect(res.status, `${what} for ${String(viewer?.name)}`).to.equal(200);
    return { votes: votes.body, all };
  }

  function expectNoVoterIdentity(json: string, context: string) {
    for (const voter of voters) {
      for (const pattern of identityPatterns(voter))
        expect(json, `${context}: ${String(pattern)}`).not.to.match(pattern);
    }
  }

  it('keeps voters out of every poll, votes and events response, for every viewer, through its whole life', async () => {
    const created = await app.post<Res>(
      `/api/discussions/${String(scene.discussion._id)}/polls`,
      {
        kind: 'proposal',
        title: 'Secret ballot',
        anonymous: true,
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      { as: author },
    );
    expect(created.status).to.equal(201);
    const pollId = created.body.poll.id;

    const voteResponses: VoteResponse[] = [];
    const positions = ['agree', 'disagree', 'block'];
    for (const [i, voter] of voters.entries()) {
      const res = await app.request<Res>('PUT', `/api/polls/${pollId}/vote`, {
        as: voter,
        body: { choices: [{ optionId: positions[i], value: 1 }], reason: `reason number ${i}` },
      });
      expect(res.status).to.equal(201);
      voteResponses.push(res.body);
    }
    // Changing a vote keeps it anonymous too.
    const changed = await app.request<Res>('PUT', `/api/polls/${pollId}/vote`, {
      as: voters[0],
      body: { choices: [{ optionId: 'abstain', value: 1 }], reason: 'reason number 0, revised' },
    });
    expect(changed.status).to.equal(200);
    voteResponses.push(changed.body);
    voteResponses.forEach((body, i) =>
      expectNoVoterIdentity(JSON.stringify(body), `vote response ${i}`),
    );

    // The database keeps the voter (to change the vote, and to export it to its owner) but no
    // event records the vote at all: not even an actor-less one, whose time could name them.
    expect(
      await VoteModel.countDocuments({ pollId, userId: { $in: voters.map((v) => v._id) } }),
    ).to.equal(3);
    expect(await EventModel.countDocuments({ pollId, kind: 'vote_cast' })).to.equal(0);

    // While open, the ballots listed are those of the last published batch (none yet); each voter
    // still has their own ballot confirmed, and only theirs.
    const check = async (stage: string, listed: number) => {
      for (const [name, viewer] of viewers) {
        const responses = await everything(pollId, viewer);
        for (const [what, res] of Object.entries(responses.all))
          expectNoVoterIdentity(JSON.stringify(res.body), `${stage}, ${what} for ${name}`);
        const items = responses.votes.items;
        expect(items, `${stage}, ${name}`).to.have.length(listed);
        for (const item of items)
          expect(Object.keys(item).sort()).to.deep.equal(['choices', 'mine', 'reason']);
        const own = voters.findIndex((v) => v === viewer);
        expect(items.filter((v) => v.mine).length, `${stage}, ${name}: mine`).to.equal(
          own === -1 || listed === 0 ? 0 : 1,
        );
        const poll = (responses.all.poll.body as Res).poll;
        expect(poll.myVote !== null, `${stage}, ${name}: own ballot`).to.equal(own !== -1);
        if (own !== -1 && listed > 0)
          expect(items.find((v) => v.mine)!.reason).to.match(new RegExp(`^reason number ${own}`));
      }
    };
    await check('open', 0);

    const closed = await app.post<Res>(`/api/polls/${pollId}/close`, {}, { as: scene.coordinator });
    expect(closed.status).to.equal(200);
    const outcome = await app.post<Res>(
      `/api/polls/${pollId}/outcome`,
      { statement: 'Blocked, so we stop.' },
      { as: author },
    );
    expect(outcome.status).to.equal(200);
    expectNoVoterIdentity(
      JSON.stringify([closed.body, outcome.body]),
      'close and outcome responses',
    );
    await check('closed with an outcome', 3);

    const reopen = await app.post<Res>(`/api/polls/${pollId}/reopen`, {}, { as: author });
    expect(reopen.status).to.equal(409);
  });

  it('a poll made anonymous after votes stops naming its earlier voters everywhere', async () => {
    const created = await app.post<Res>(
      `/api/discussions/${String(scene.discussion._id)}/polls`,
      {
        kind: 'single_choice',
        title: 'Late secret',
        options: [{ label: 'One' }, { label: 'Two' }],
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      { as: author },
    );
    const pollId = created.body.poll.id;
    const optionId = created.body.poll.options[0].id;
    for (const voter of voters) {
      await app.request('PUT', `/api/polls/${pollId}/vote`, {
        as: voter,
        body: { choices: [{ optionId, value: 1 }] },
      });
    }
    const named = await app.get<VotePage>(`/api/polls/${pollId}/votes`, {
      as: scene.coordinator,
    });
    expect(named.body.items.map((v) => v.voter?.id)).to.have.members(
      voters.map((v) => String(v._id)),
    );
    // The control: the patterns do find voters in a response that names them.
    for (const voter of voters) {
      for (const pattern of identityPatterns(voter))
        expect(JSON.stringify(named.body)).to.match(pattern);
    }

    expect(
      (await app.patch(`/api/polls/${pollId}`, { anonymous: true }, { as: author })).status,
    ).to.equal(200);
    for (const [name, viewer] of viewers) {
      const responses = await everything(pollId, viewer);
      for (const [what, res] of Object.entries(responses.all))
        expectNoVoterIdentity(JSON.stringify(res.body), `${what} for ${name}`);
    }
  });
});
