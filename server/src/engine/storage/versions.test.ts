import { expect } from 'chai';
import { EventLog } from '../changes/event-log.js';
import { Catalog, type WriteOp } from './catalog.js';

/**
 * The commit sequence each document was last written at, which transactions
 * check for conflicts: a deleted document's (its tombstone) is kept while a
 * transaction's snapshot may still need it, and dropped once none is open.
 * Pruning looks at the deleted documents only, not at every document written.
 */
describe('engine: versions and tombstones', () => {
  const write = (kind: WriteOp['kind'], n: number, before: boolean, after: boolean): WriteOp => ({
    kind,
    db: 'app',
    coll: 'things',
    idKey: `k${n}`,
    id: n,
    before: before ? { _id: n } : null,
    after: after ? { _id: n, at: kind } : null,
  });

  it('keeps a deleted document’s version while a snapshot is open, and only its, then drops it', () => {
    const catalog = new Catalog(new EventLog({ maxAgeMs: 60_000, maxEvents: 1000 }), null);
    catalog.commit([1, 2, 3].map((n) => write('insert', n, false, true)));
    const coll = catalog.collection('app', 'things')!;
    const snapshot = catalog.openSnapshot();
    catalog.commit([write('delete', 2, true, false)]);
    expect([...coll.tombstones]).to.deep.equal(['k2']);
    catalog.commit([write('delete', 3, true, false), write('insert', 3, false, true)]);
    expect([...coll.tombstones], 'written again: no longer a tombstone').to.deep.equal(['k2']);
    catalog.closeSnapshot(snapshot);
    expect(coll.tombstones.size).to.equal(0);
    expect(coll.versions.has('k2')).to.equal(false);
    expect([...coll.versions.keys()].sort(), 'live documents keep theirs').to.deep.equal([
      'k1',
      'k3',
    ]);
  });
});
