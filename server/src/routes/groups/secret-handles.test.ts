import { expect } from 'chai';
import type { GroupDetailDto } from '../../presenters/group.js';
import { buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type ApiResponse, type TestApp } from '../../test/harness.js';
import { expectError } from './test-helpers.js';

type GroupBody = { group: GroupDetailDto };

let n = 0;
const fresh = () => `team-${Date.now().toString(36)}-${n++}`;

/**
 * Issue 10, item 6: a secret group has no handle, so no route can tell an
 * outsider that a handle belongs to a secret group: creating, renaming, and
 * looking a group up by handle answer exactly as for a handle nobody has.
 */
describe('secret groups cannot be confirmed through handles', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  /** A secret group that once had `handle` (created closed, then made secret by its coordinator). */
  async function secretThatHad(handle: string) {
    const coordinator = await buildUser();
    const created = await app.post<GroupBody>(
      '/api/groups',
      { handle, name: 'Finance', privacy: 'closed' },
      { as: coordinator },
    );
    expect(created.status).to.equal(201);
    const res = await app.patch<GroupBody>(
      `/api/groups/${created.body.group.id}`,
      { privacy: 'secret' },
      { as: coordinator },
    );
    expect(res.body.group).to.include({ privacy: 'secret', handle: null });
    return { id: created.body.group.id, coordinator };
  }

  /** A response with ids and times blanked, to compare two answers' shapes and words. */
  const shape = (res: ApiResponse<unknown>) =>
    JSON.stringify({ status: res.status, body: res.body })
      .replace(/[0-9a-f]{24}/g, 'ID')
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME')
      .replace(/team-[a-z0-9]+-\d+/g, 'HANDLE');

  it('answers an outsider alike for a secret group’s handle and a free one, on every route', async () => {
    const secretHandle = fresh();
    const freeHandle = fresh();
    const secret = await secretThatHad(secretHandle);
    const outsider = await buildUser();
    const mine = await buildGroup({ coordinator: outsider, privacy: 'closed' });
    const other = await buildGroup({ coordinator: outsider, privacy: 'open' });

    // Looking it up by handle.
    for (const as of [undefined, outsider]) {
      const a = await app.get(`/api/groups/${secretHandle}`, { as });
      const b = await app.get(`/api/groups/${freeHandle}`, { as });
      expectError(a, 404, 'not_found');
      expect(shape(a)).to.equal(shape(b));
    }
    // Renaming a group of one's own to it.
    const renamedA = await app.patch(
      `/api/groups/${String(mine._id)}`,
      { handle: secretHandle },
      { as: outsider },
    );
    const renamedB = await app.patch(
      `/api/groups/${String(other._id)}`,
      { handle: freeHandle },
      { as: outsider },
    );
    expect(renamedA.status).to.equal(200);
    expect(renamedB.status).to.equal(200);
    // Creating a group with it (both now taken by the outsider's own groups: alike again).
    const takenA = await app.post(
      '/api/groups',
      { handle: secretHandle, name: 'X' },
      { as: outsider },
    );
    const takenB = await app.post(
      '/api/groups',
      { handle: freeHandle, name: 'X' },
      { as: outsider },
    );
    expectError(takenA, 409, 'conflict', 'handle');
    expect(shape(takenA)).to.equal(shape(takenB));
    // The secret group is untouched and still reached by its id by its coordinator.
    const own = await app.get<GroupBody>(`/api/groups/${secret.id}`, { as: secret.coordinator });
    expect(own.body.group).to.include({ privacy: 'secret', handle: null, name: 'Finance' });
  });

  it('lets anyone create a group with a handle a secret group used to have', async () => {
    const handle = fresh();
    await secretThatHad(handle);
    const res = await app.post<GroupBody>(
      '/api/groups',
      { handle, name: 'Mine' },
      { as: await buildUser() },
    );
    expect(res.status).to.equal(201);
    expect(res.body.group.handle).to.equal(handle);
  });

  it('refuses a handle for a secret group (400), whether taken or free', async () => {
    const user = await buildUser();
    const open = await buildGroup({ privacy: 'open' });
    const taken = await app.post(
      '/api/groups',
      { handle: open.handle, name: 'S', privacy: 'secret' },
      { as: user },
    );
    const free = await app.post(
      '/api/groups',
      { handle: fresh(), name: 'S', privacy: 'secret' },
      { as: user },
    );
    expectError(taken, 400, 'validation_error', 'handle');
    expect(taken.body).to.deep.equal(free.body);
    const secret = await buildGroup({ privacy: 'secret' });
    expectError(
      await app.patch(
        `/api/groups/${String(secret._id)}`,
        { handle: fresh() },
        { as: secret.coordinator },
      ),
      400,
      'validation_error',
      'handle',
    );
  });

  it('asks a group leaving secrecy for a handle, free among visible groups', async () => {
    const secret = await buildGroup({ privacy: 'secret' });
    const path = `/api/groups/${String(secret._id)}`;
    const as = { as: secret.coordinator };
    expectError(
      await app.patch(path, { privacy: 'closed' }, as),
      400,
      'validation_error',
      'handle',
    );
    const open = await buildGroup({ privacy: 'open' });
    expectError(
      await app.patch(path, { privacy: 'closed', handle: open.handle }, as),
      409,
      'conflict',
      'handle',
    );
    const handle = fresh();
    const res = await app.patch<GroupBody>(path, { privacy: 'closed', handle }, as);
    expect(res.body.group).to.include({ privacy: 'closed', handle });
    expectError(
      await app.post('/api/groups', { name: 'No handle' }, as),
      400,
      'validation_error',
      'handle',
    );
  });
});
