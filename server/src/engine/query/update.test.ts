import { expect } from 'chai';
import { applyUpdate } from './update.js';

describe('engine: applyUpdate', () => {
  it('sets and unsets top-level fields as MongoDB does: existing fields keep their place, new ones go last', () => {
    const before = { _id: 1, a: 1, b: { c: 2 }, d: 'x' };
    const after = applyUpdate(before, { $set: { a: 5, e: [1, 2] }, $unset: { d: '' } });
    expect(after).to.deep.equal({ _id: 1, a: 5, b: { c: 2 }, e: [1, 2] });
    expect(Object.keys(after)).to.deep.equal(['_id', 'a', 'b', 'e']);
    expect(before, 'the stored document is not changed in place').to.deep.equal({
      _id: 1,
      a: 1,
      b: { c: 2 },
      d: 'x',
    });
  });

  it('gives every updated document its own copy of a set value', () => {
    const spec = { $set: { tags: ['a'] } };
    const one = applyUpdate({ _id: 1 }, spec);
    const two = applyUpdate({ _id: 2 }, spec);
    (one.tags as string[]).push('b');
    expect(two.tags).to.deep.equal(['a']);
    expect(spec.$set.tags).to.deep.equal(['a']);
  });

  it('still handles dotted paths, other operators and conflicts through the full update language', () => {
    expect(applyUpdate({ _id: 1, b: { c: 2 } }, { $set: { 'b.d': 3 } })).to.deep.equal({
      _id: 1,
      b: { c: 2, d: 3 },
    });
    expect(applyUpdate({ _id: 1, n: 1 }, { $set: { a: 1 }, $inc: { n: 2 } })).to.deep.equal({
      _id: 1,
      n: 3,
      a: 1,
    });
    expect(() => applyUpdate({ _id: 1, a: 1 }, { $set: { a: 2 }, $unset: { a: '' } })).to.throw();
  });

  it('shares the fields a top-level $set leaves alone with the previous version, and copies them for anything else', () => {
    const before = { _id: 1, list: [{ id: 'x' }], meta: { n: 1 }, at: 1 };
    const touched = applyUpdate(before, { $set: { at: 2 } });
    expect(touched.list, 'a heartbeat does not copy the arrays').to.equal(before.list);
    expect(touched.meta).to.equal(before.meta);
    // An upsert's $setOnInsert is nothing to an existing document.
    const upserted = applyUpdate(before, { $set: { at: 3 }, $setOnInsert: { list: [] } });
    expect(upserted.list).to.equal(before.list);
    expect(upserted.at).to.equal(3);
    const inserted = applyUpdate(
      { _id: 2 },
      { $set: { at: 3 }, $setOnInsert: { list: [1] } },
      {
        inserting: true,
      },
    );
    expect(inserted).to.deep.equal({ _id: 2, at: 3, list: [1] });
    const pushed = applyUpdate(before, { $push: { list: { id: 'y' } } });
    expect(pushed.list).to.not.equal(before.list);
    const nested = applyUpdate(before, { $set: { 'meta.n': 2 } });
    expect(nested.meta).to.deep.equal({ n: 2 });
    expect(before, 'the stored document is not changed in place').to.deep.equal({
      _id: 1,
      list: [{ id: 'x' }],
      meta: { n: 1 },
      at: 1,
    });
  });

  it('increments top-level numbers in place of the full update language, as MongoDB does', () => {
    const before = { _id: 1, n: 1, list: [{ id: 'x' }], at: 1 };
    const after = applyUpdate(before, { $inc: { n: 2, count: 1 }, $set: { at: 5 } });
    expect(after).to.deep.equal({ _id: 1, n: 3, list: [{ id: 'x' }], at: 5, count: 1 });
    expect(Object.keys(after), 'a new counter goes last').to.deep.equal([
      '_id',
      'n',
      'list',
      'at',
      'count',
    ]);
    expect(after.list, 'the untouched fields are shared').to.equal(before.list);
    expect(before).to.deep.equal({ _id: 1, n: 1, list: [{ id: 'x' }], at: 1 });
    expect(applyUpdate({ _id: 1, n: 0.5 }, { $inc: { n: -2 } }).n).to.equal(-1.5);
    expect(applyUpdate({ _id: 1, n: NaN }, { $inc: { n: 1 } }).n).to.be.NaN;
    // What is not a number to add to a number still gets MongoDB's answers.
    expect(() => applyUpdate({ _id: 1, s: 'x' }, { $inc: { s: 1 } }))
      .to.throw()
      .with.property('code', 14);
    expect(() => applyUpdate({ _id: 1 }, { $inc: { _id: 1 } })).to.throw();
    expect(() => applyUpdate({ _id: 1, n: 1 }, { $inc: { n: 1 }, $set: { n: 2 } })).to.throw();
  });
});
