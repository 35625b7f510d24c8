import { expect } from 'chai';
import type { GroupDto } from '../../../shared/dto.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { moderationWorld } from './test-support.js';

describe('group abilities: canModerate', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('is sent to coordinators and named moderators, not to members or visitors', async () => {
    const w = await moderationWorld();
    const ability = async (as: typeof w.author | null) => {
      const res = await app.get<{ group: GroupDto }>(`/api/groups/${w.groupId}`, { as });
      expect(res.status).to.equal(200);
      return res.body.group.abilities.canModerate;
    };
    expect(await ability(w.coordinator)).to.equal(true);
    expect(await ability(w.author)).to.equal(false);
    expect(await ability(null)).to.equal(false);

    const named = await app.request(
      'PUT',
      `/api/groups/${w.groupId}/moderators/${String(w.author._id)}`,
      { body: {}, as: w.coordinator },
    );
    expect(named.status).to.equal(204);
    expect(await ability(w.author)).to.equal(true);
    // A moderator still does not manage the group.
    const res = await app.get<{ group: GroupDto }>(`/api/groups/${w.groupId}`, { as: w.author });
    expect(res.body.group.abilities.canManage).to.equal(false);
  });
});
