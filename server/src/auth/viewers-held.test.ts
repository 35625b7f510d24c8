import { expect } from 'chai';
import { startEngine, type RunningEngine } from '../engine/index.js';
import { UserModel, type UserDocument } from '../models/user.js';
import { MembershipModel } from '../models/membership.js';
import { addMember, buildDiscussion, buildGroup, TEST_PASSWORD } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { freePort, QuorumChild, sharedSecret } from '../realtime/test-process.js';
import { arrival, commentIn, record, TestClients } from '../realtime/test-clients.js';
import { heldViewers } from './viewers-held.js';

/**
 * Who is asking is held on each process (auth/viewers-held.ts), so a request
 * reads nothing to learn it; a deactivation, a token version bumped or a role
 * changed on one process still holds on every other as soon as its change
 * feed carries the change: no later than that process's own sockets hear of
 * it, and before any later change reaches them. On the process that wrote the
 * change, at once.
 */
describe('authentication held per process, kept true by the change feed', function () {
  this.timeout(90_000);
  let engine: RunningEngine;
  let a: TestApp;
  let b: QuorumChild;
  let onB: TestClients;

  before(async () => {
    engine = await startEngine({ host: '127.0.0.1', port: 0, dataDir: null });
    const jwtSecret = sharedSecret();
    a = await startTestApp({ MONGODB_URI: engine.uri, JWT_SECRET: jwtSecret });
    await a.server.realtime.ready;
    b = new QuorumChild({ mongodbUri: engine.uri, port: await freePort(), jwtSecret });
    await b.start();
    onB = new TestClients({ ...a, url: b.url });
  });
  afterEach(() => onB.closeAll());
  after(async () => {
    await b?.stop();
    await a?.close();
    await engine?.close();
  });

  /** A request to process B with `token` (B shares the JWT secret). */
  const onBWith = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${b.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch((): unknown => null) };
  };
  const commentOn = (where: 'a' | 'b', discussionId: string, token: string, body: string) =>
    where === 'a'
      ? a.post(`/api/discussions/${discussionId}/comments`, { body }, { as: token })
      : onBWith('POST', `/api/discussions/${discussionId}/comments`, token, { body });

  /** A member who has written through both processes (so both hold them) and watches on B. */
  async function heldOnBoth() {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const token = a.tokenFor(member);
    expect((await commentOn('a', id, token, 'through A')).status).to.equal(201);
    expect((await commentOn('b', id, token, 'through B')).status).to.equal(201);
    const socket = await onB.watching(member, id);
    return { group, member, id, token, socket, seen: record(socket) };
  }

  it('a deactivation through A refuses the old session on A at once and on B by the time B’s sockets are told', async () => {
    const { id, token, member, seen } = await heldOnBoth();
    const deactivated = await a.post(
      '/api/me/deactivate',
      { password: TEST_PASSWORD },
      { as: token },
    );
    expect(deactivated.status).to.equal(204);
    expect((await commentOn('a', id, token, 'after, on A')).status).to.equal(401);
    await arrival(seen, (e, p) => e === 'access:revoked' && p.reason === 'signed_out');
    expect((await commentOn('b', id, token, 'after, on B')).status).to.equal(401);
    expect((await onBWith('GET', '/api/me', token)).status).to.equal(401);
    expect(await UserModel.findById(member._id).lean()).to.have.property('deactivatedAt').not.null;
  });

  it('signing out everywhere through B ends the session on B at once and on A once A’s feed carries it', async () => {
    const { id, token, member } = await heldOnBoth();
    const watcherOnA = new TestClients(a);
    try {
      const socketOnA = await watcherOnA.watching(member, id);
      const seenOnA = record(socketOnA);
      const out = await onBWith('POST', '/api/auth/signout-everywhere', token, {});
      expect(out.status).to.be.within(200, 204);
      expect((await commentOn('b', id, token, 'after, on B')).status).to.equal(401);
      await arrival(seenOnA, (e, p) => e === 'access:revoked' && p.reason === 'signed_out');
      expect((await commentOn('a', id, token, 'after, on A')).status).to.equal(401);
      // A fresh session (the new token version) is welcome on both.
      const fresh = await UserModel.findById(member._id);
      const renewed = a.tokenFor(fresh!);
      expect((await commentOn('a', id, renewed, 'again on A')).status).to.equal(201);
      expect((await commentOn('b', id, renewed, 'again on B')).status).to.equal(201);
    } finally {
      watcherOnA.closeAll();
    }
  });

  it('a removal through A refuses the member’s writes on B by the time B’s sockets are told', async () => {
    const { group, member, id, token, seen } = await heldOnBoth();
    const removed = await a.delete(
      `/api/groups/${String(group._id)}/members/${String(member._id)}`,
      { as: group.coordinator },
    );
    expect(removed.status).to.equal(204);
    await arrival(seen, (e, p) => e === 'access:revoked' && p.reason === 'access_removed');
    expect((await commentOn('b', id, token, 'after the removal')).status).to.be.oneOf([403, 404]);
  });

  it('a promotion through A gives the new coordinator’s abilities on B before any later change reaches B', async () => {
    const { group, member, id, token } = await heldOnBoth();
    const other = await addMember(group);
    const otherOnB = record(await onB.watching(other, id));
    const abilities = async () =>
      (
        (await onBWith('GET', `/api/discussions/${id}`, token)).body as {
          discussion: { abilities: { canClose: boolean } };
        }
      ).discussion.abilities.canClose;
    expect(await abilities()).to.equal(false);
    const promoted = await a.post(
      `/api/groups/${String(group._id)}/members/${String(member._id)}/promote`,
      {},
      { as: group.coordinator },
    );
    expect(promoted.status).to.equal(200);
    // The feed is ordered: once B fans out a comment written after the promotion, B has seen it.
    expect((await commentOn('a', id, a.tokenFor(group.coordinator), 'later')).status).to.equal(201);
    await arrival(otherOnB, (e, p) => commentIn(e, p)?.body === 'later');
    expect(await abilities()).to.equal(true);
  });

  it('holds one copy per person while a feed runs, and reads again after the person changes', async () => {
    const group = await buildGroup();
    const member: UserDocument = await addMember(group);
    const first = heldViewers.load(member._id);
    expect(heldViewers.load(member._id)).to.equal(first);
    expect((await first)?.roles.get(String(group._id))).to.equal('member');
    expect(await first).not.to.have.nested.property('user.passwordHash');
    // This process's own write drops the copy at once, before the feed carries it.
    await MembershipModel.updateOne(
      { groupId: group._id, userId: member._id },
      { $set: { role: 'coordinator' } },
    );
    const second = heldViewers.load(member._id);
    expect(second).not.to.equal(first);
    expect((await second)?.roles.get(String(group._id))).to.equal('coordinator');
  });
});
