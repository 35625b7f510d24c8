import { expect } from 'chai';
import type { HttpError } from '../errors.js';
import { assertNoOperators, MAX_INPUT_DEPTH } from './validate.js';

function refusal(value: unknown): HttpError | undefined {
  try {
    assertNoOperators(value);
    return undefined;
  } catch (error) {
    return error as HttpError;
  }
}

describe('assertNoOperators', () => {
  it('names the first operator key, however deep, in arrays and objects', () => {
    expect(refusal({ a: [{ ok: 1 }, { b: { $where: 'x' } }] })).to.include({
      id: 'validation_error',
      field: 'a.1.b.$where',
    });
    expect(refusal({ 'filter[$ne]': 'x' })).to.include({ field: 'filter[$ne]' });
    expect(refusal({ a: [1, 'two', null, { b: true }] })).to.equal(undefined);
  });

  it(`accepts ${MAX_INPUT_DEPTH} levels and refuses more, without recursion`, () => {
    let ok: unknown = 1;
    for (let i = 0; i < MAX_INPUT_DEPTH; i++) ok = [ok];
    expect(refusal(ok)).to.equal(undefined);
    expect(refusal([ok])).to.include({ id: 'validation_error', status: 400 });

    // Far deeper than any call stack: built iteratively, walked iteratively.
    let deep: unknown = {};
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    const error = refusal(deep);
    expect(error?.message).to.equal(`Input is nested more than ${MAX_INPUT_DEPTH} levels deep`);
    expect(error?.field?.split('.')).to.have.length(MAX_INPUT_DEPTH);
  });
});
