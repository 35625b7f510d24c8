import { expect } from 'chai';
import type { EmailPreferencesDto } from '../../../../shared/email.js';
import { addMember, buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type Prefs = { preferences: EmailPreferencesDto };
type Err = { error: { id: string; field?: string } };
const PATH = '/api/me/email-preferences';

describe('email preferences: GET and PATCH /api/me/email-preferences', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ MAIL_INTERVAL_MS: '3600000' });
  });
  after(() => app.close());

  it('401 for visitors', async () => {
    expect((await app.get(PATH)).status).to.equal(401);
    expect((await app.patch(PATH, { digest: true })).status).to.equal(401);
  });

  it('gives the defaults: every kind on, groups at important, no digest', async () => {
    const user = await buildUser();
    const res = await app.get<Prefs>(PATH, { as: user });
    expect(res.status).to.equal(200);
    expect(res.body.preferences).to.deep.equal({
      kinds: {
        mention: true,
        reply: true,
        new_discussion: true,
        new_poll: true,
        poll_closing: true,
        outcome: true,
        meeting_started: true,
        meeting_minutes: true,
      },
      defaultGroupLevel: 'important',
      groups: [],
      digest: false,
    });
  });

  it('changes only what is given, sets and removes group levels', async () => {
    const group = await buildGroup();
    const other = await buildGroup();
    const user = await addMember(group);
    await addMember(other, user);
    const as = { as: user };
    let res = await app.patch<Prefs>(
      PATH,
      {
        kinds: { new_discussion: false },
        digest: true,
        groups: [{ groupId: String(group._id), level: 'all' }],
      },
      as,
    );
    expect(res.status).to.equal(200);
    expect(res.body.preferences.kinds.new_discussion).to.equal(false);
    expect(res.body.preferences.kinds.mention).to.equal(true);
    expect(res.body.preferences.digest).to.equal(true);
    expect(res.body.preferences.groups).to.deep.equal([
      { groupId: String(group._id), level: 'all' },
    ]);

    res = await app.patch<Prefs>(
      PATH,
      {
        defaultGroupLevel: 'none',
        groups: [
          { groupId: String(group._id), level: null },
          { groupId: String(other._id), level: 'important' },
        ],
      },
      as,
    );
    expect(res.body.preferences).to.deep.include({
      defaultGroupLevel: 'none',
      digest: true,
      groups: [{ groupId: String(other._id), level: 'important' }],
    });
    expect((await app.get<Prefs>(PATH, as)).body).to.deep.equal(res.body);
  });

  it('400 naming the field for bad input, $ keys included', async () => {
    const group = await buildGroup();
    const user = await buildUser();
    const cases: [unknown, string][] = [
      [{}, 'body'],
      [{ kinds: { mention: 'no' } }, 'kinds.mention'],
      [{ kinds: { spam: true } }, 'kinds'],
      [{ defaultGroupLevel: 'loud' }, 'defaultGroupLevel'],
      [{ digest: 1 }, 'digest'],
      [{ groups: [{ groupId: 'nope', level: 'all' }] }, 'groups.0.groupId'],
      [{ groups: [{ groupId: String(group._id), level: 'all' }] }, 'groups.0.groupId'],
      [
        {
          groups: [
            { groupId: String(group._id), level: 'all' },
            { groupId: String(group._id), level: 'none' },
          ],
        },
        'groups',
      ],
      [{ userId: String(user._id) }, 'body'],
      [{ kinds: { $set: { mention: false } } }, 'kinds.$set'],
    ];
    for (const [body, field] of cases) {
      const res = await app.patch<Err>(PATH, body, { as: user });
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.error.id).to.equal('validation_error');
      expect(res.body.error.field, JSON.stringify(body)).to.equal(field);
    }
    expect((await app.get<Prefs>(PATH, { as: user })).body.preferences.groups).to.deep.equal([]);
  });
});
