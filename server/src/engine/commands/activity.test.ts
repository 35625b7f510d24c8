import { expect } from 'chai';
import { UUID } from 'bson';
import { Activity } from './activity.js';

describe('engine: activity (counters, operations, local sessions)', () => {
  it('counts inserts per document and writes per statement, like mongod opcounters', () => {
    const activity = new Activity();
    activity.end(activity.begin('insert', { insert: 'c', documents: [{}, {}, {}] }, 'db', 1));
    activity.end(activity.begin('update', { update: 'c', updates: [{}, {}] }, 'db', 1));
    activity.end(activity.begin('find', { find: 'c' }, 'db', 1));
    activity.end(activity.begin('ping', { ping: 1 }, 'admin', 1));
    expect(activity.opcounters).to.include({ insert: 3, update: 2, query: 1, command: 1 });
    expect(activity.operations.size).to.equal(0);
  });

  it('forgets a session after the 30-minute logical session timeout, not before', () => {
    const activity = new Activity();
    const lsid = { id: new UUID() };
    activity.end(activity.begin('find', { find: 'c', lsid }, 'db', 1));
    const used = activity.sessions.values().next().value!.lastUse.getTime();
    activity.sweepSessions(used + 29 * 60_000);
    expect(activity.sessions.size).to.equal(1);
    activity.sweepSessions(used + 31 * 60_000);
    expect(activity.sessions.size).to.equal(0);
  });
});
