import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { DiscussionDto } from '../../shared/dto.js';
import { FeedPositionModel } from '../../server/src/models/feed-position.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';

/**
 * `feed:resync` in the browser: the server's change feed misses a change it
 * can no longer replay, says so to its sockets, and the open discussion
 * reloads itself in place (socket.ts -> catch-up.ts resyncAll).
 */
describe('web client: resynchronising after the server lost its change history (Chromium)', function () {
  this.timeout(90_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  async function comment(discussionId: string, user: UserDocument, body: string) {
    const res = await e2e.app.post(
      `/api/discussions/${discussionId}/comments`,
      { body },
      { as: user },
    );
    expect(res.status).to.equal(201);
  }

  const commentsWith = (page: Page, text: string) =>
    page.getByTestId('comment').filter({ hasText: text });

  it('reloads the open discussion in place and shows the change the live feed missed', async () => {
    const coordinator = await buildUser({ name: 'Ada Lovelace' });
    const member = await buildUser({ name: 'Ben Okri' });
    const group = await buildGroup({ coordinator, name: 'Riverside Allotments' });
    await addMember(group, member);
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      { groupId: String(group._id), title: 'Seed swap in March', context: 'Which Saturday?' },
      { as: coordinator },
    );
    expect(started.status).to.equal(201);
    const { discussion } = started.body;

    const ben = await e2e.open(member);
    ben.setDefaultTimeout(30_000);
    await ben.goto(`/d/${discussion.id}`);
    await ben.getByRole('heading', { level: 1, name: discussion.title }).waitFor();
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    // A mark on this document: it survives only if the page is never reloaded.
    await ben.evaluate('window.sameDocument = true');

    // The server's change feed goes away; a comment is written meanwhile, and no socket hears of it.
    const realtime = e2e.app.server.realtime;
    await realtime.pauseFeed();
    await comment(discussion.id, coordinator, 'The 14th works for the seed swap');
    expect(await commentsWith(ben, 'The 14th works').count()).to.equal(0);

    // When it comes back its stored position is unusable (as after restoring the database), so it
    // cannot replay the gap: it starts from now and sends feed:resync to every socket.
    await FeedPositionModel.updateOne({ _id: realtime.feedId }, { $set: { token: 'unusable' } });
    await realtime.resumeFeed();

    await commentsWith(ben, 'The 14th works').waitFor();
    expect(await ben.evaluate('window.sameDocument === true'), 'no page reload').to.equal(true);
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();

    // Live updates go on from the fresh position.
    await comment(discussion.id, coordinator, 'Bring labelled envelopes');
    await commentsWith(ben, 'Bring labelled envelopes').waitFor();
    expect(await ben.getByTestId('comment').count()).to.equal(2);
  });
});
