import { expect } from 'chai';
import type { UnsubscribeDto } from '../../../../shared/email.js';
import { signUnsubscribeToken } from '../../mail/unsubscribe-token.js';
import { UserModel } from '../../models/user.js';
import { comment, runJobs } from '../../jobs/mail-test-helpers.js';
import { addMember, buildDiscussion, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type Answer = { unsubscribe: UnsubscribeDto };
type Err = { error: { id: string; field?: string } };

/** The one-click URL of the last mail to `email`, as a mail provider reads it from the header. */
function oneClickPath(app: TestApp, email: string): string {
  const header = app.server.mailer.to(email).at(-1)!.headers!['List-Unsubscribe'];
  const url = /^<([^>]+)>$/.exec(header)![1];
  expect(url.startsWith(`${app.url}/api/unsubscribe/`)).to.equal(true);
  return url.slice(app.url.length);
}

describe('unsubscribe: GET and POST /api/unsubscribe/:token', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ MAIL_INTERVAL_MS: '3600000' });
  });
  after(() => app.close());

  it('P11: the unsubscribe link works signed out and stops exactly that kind', async () => {
    const discussion = await buildDiscussion();
    const [ada, bob] = [await addMember(discussion.group), await addMember(discussion.group)];
    const first = await comment(app, discussion, ada, 'A thought');
    await comment(app, discussion, bob, `@${ada.handle} what about this`);
    await runJobs(app);
    const path = oneClickPath(app, ada.email);

    // Signed out: what the link stops, and nothing about whose link it is.
    const shown = await app.get<Answer>(path);
    expect(shown.status).to.equal(200);
    expect(shown.body).to.deep.equal({
      unsubscribe: {
        kind: 'mention',
        description: 'emails when someone mentions you',
        subscribed: true,
      },
    });
    expect(JSON.stringify(shown.body)).not.to.include(ada.email).and.not.to.include(ada.name);

    // RFC 8058 one-click: a form post, no cookie, no CSRF header.
    const res = await app.request<Answer>('POST', path, {
      raw: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).to.equal(200);
    expect(res.body.unsubscribe).to.include({ kind: 'mention', subscribed: false });
    expect((await app.post<Answer>(path)).status).to.equal(200); // again: still fine

    const prefs = await app.get<{ preferences: { kinds: Record<string, boolean> } }>(
      '/api/me/email-preferences',
      { as: ada },
    );
    expect(prefs.body.preferences.kinds).to.deep.equal({
      mention: false,
      reply: true,
      new_discussion: true,
      new_poll: true,
      poll_closing: true,
      outcome: true,
      meeting_started: true,
      meeting_minutes: true,
    });

    // Another mention is not emailed; a reply still is.
    const before = app.server.mailer.to(ada.email).length;
    await comment(app, discussion, bob, `@${ada.handle} again`);
    await comment(app, discussion, bob, 'Answering you', first.id);
    await runJobs(app);
    const after = app.server.mailer.to(ada.email).slice(before);
    expect(after.map((m) => m.subject)).to.have.length(1);
    expect(after[0].subject).to.match(/replied to you/);
  });

  it('also works from the web client with a session cookie and the CSRF header', async () => {
    const user = await buildUser();
    const token = signUnsubscribeToken(
      { userId: String(user._id), kind: 'outcome' },
      app.jwtSecret,
    );
    const cookie = `quorum_session=${app.tokenFor(user)}`;
    const res = await app.request<Answer>('POST', `/api/unsubscribe/${token}`, { cookie });
    expect(res.status).to.equal(200);
    expect(res.body.unsubscribe).to.include({ kind: 'outcome', subscribed: false });
  });

  it('the digest link stops the digest, and only what it carried', async () => {
    const user = await buildUser();
    const token = signUnsubscribeToken({ userId: String(user._id), kind: 'digest' }, app.jwtSecret);
    const res = await app.post<Answer>(`/api/unsubscribe/${token}`);
    expect(res.body.unsubscribe).to.include({ kind: 'digest', subscribed: false });
    const prefs = await app.get<{ preferences: { kinds: Record<string, boolean> } }>(
      '/api/me/email-preferences',
      { as: user },
    );
    expect(prefs.body.preferences.kinds).to.include({
      mention: true,
      reply: true,
      poll_closing: true,
      new_discussion: false,
      new_poll: false,
      outcome: false,
    });
  });

  it('refuses forged, malformed and session tokens, and the links of deleted accounts', async () => {
    const user = await buildUser();
    const forged = signUnsubscribeToken(
      { userId: String(user._id), kind: 'mention' },
      'x'.repeat(40),
    );
    const session = app.tokenFor(user);
    for (const token of [forged, session]) {
      for (const method of ['GET', 'POST']) {
        const res = await app.request<Err>(method, `/api/unsubscribe/${token}`);
        expect(res.status).to.equal(400);
        expect(res.body.error).to.include({ id: 'invalid_token', field: 'token' });
      }
    }
    const bad = await app.get<Err>('/api/unsubscribe/not-a-token');
    expect(bad.status).to.equal(400);
    expect(bad.body.error.field).to.equal('token');

    const gone = await buildUser();
    const token = signUnsubscribeToken({ userId: String(gone._id), kind: 'reply' }, app.jwtSecret);
    await UserModel.updateOne({ _id: gone._id }, { $set: { deletedAt: new Date() } });
    expect((await app.post<Err>(`/api/unsubscribe/${token}`)).body.error.id).to.equal(
      'invalid_token',
    );
  });

  it('an unsubscribe token is no session', async () => {
    const user = await buildUser();
    const token = signUnsubscribeToken(
      { userId: String(user._id), kind: 'mention' },
      app.jwtSecret,
    );
    expect((await app.get('/api/me', { as: token })).status).to.equal(401);
  });
});
