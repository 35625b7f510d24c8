import { expect } from 'chai';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { buildPoll } from '../test/factories-polls.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import type { UserDocument } from '../models/user.js';
import { commandsOf } from '../test/driver-commands.js';
import { openEditor, until, type Editor } from './test-editors.js';

/**
 * A proposal everyone reads with its details open (the poll card opens them
 * as a collaborative document) while the room votes: the votes move the
 * poll's counts, which change nobody's rights on its documents.
 */
describe('collaborative documents: a room voting while it reads the details', function () {
  this.timeout(60_000);
  let app: TestApp;
  const open: Editor[] = [];

  before(async () => {
    // Background jobs read polls too: kept out of the counted window.
    app = await startTestApp({ POLL_CLOSER_INTERVAL_MS: '3600000', MAIL_INTERVAL_MS: '3600000' });
  });
  after(async () => {
    for (const editor of open.splice(0)) editor.close();
    await app.close();
  });

  it('does not check every reader’s rights again for each vote, and still does when the poll closes', async () => {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group });
    const poll = await buildPoll({
      discussion,
      author: group.coordinator,
      details: 'Read before voting',
    });
    const key = `poll:${String(poll._id)}:details`;
    const readers: UserDocument[] = [];
    for (let i = 0; i < 30; i++) readers.push(await addMember(group));
    const manager = await openEditor({
      url: app.url,
      token: app.tokenFor(group.coordinator),
      discussionId: String(discussion._id),
      key,
    });
    open.push(manager);
    for (const reader of readers)
      open.push(
        await openEditor({
          url: app.url,
          token: app.tokenFor(reader),
          discussionId: String(discussion._id),
          key,
        }),
      );
    expect(manager.provider.canEdit).to.equal(true);

    const { commands } = await commandsOf(async () => {
      for (const voter of readers.slice(0, 10)) {
        const res = await app.request('PUT', `/api/polls/${String(poll._id)}/vote`, {
          as: voter,
          body: { choices: [{ optionId: 'agree', value: 1 }] },
        });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
      }
      await app.server.collab.barrier();
      await app.server.realtime.barrier();
    });
    // A vote reads what it needs (the voter's rights, the poll, its ballots): a handful, however
    // many read along. Checking the 31 readers' rights again would read the poll for each of them.
    const finds = Object.entries(commands).filter(([name]) => name.startsWith('find '));
    expect(finds.reduce((sum, [, n]) => sum + n, 0) / 10).to.be.below(10);
    // 11 here (a vote's tally reads it once); the limit leaves room for a job or a retry, while a
    // re-check of every reader per vote would read it about 310 times.
    expect(commands['find polls']).to.be.at.most(15);

    // A change of the poll itself still re-checks: closed, its details are no longer editable.
    const closed = await app.request('POST', `/api/polls/${String(poll._id)}/close`, {
      as: group.coordinator,
    });
    expect(closed.status, JSON.stringify(closed.body)).to.equal(200);
    await until(() => !manager.provider.canEdit, 5000, 'read-only once closed');
  });
});
