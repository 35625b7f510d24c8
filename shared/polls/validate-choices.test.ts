import { expect } from 'chai';
import { POLL_KINDS, type PollKind } from '../domain.js';
import { defaultOptions } from './settings.js';
import type { Choice, PollRules } from './types.js';
import { validateChoices } from './validate-choices.js';

/** Sound rules of a kind with options a, b, c (or the kind's fixed ones). */
function rules(kind: PollKind, extra: Partial<PollRules> = {}): PollRules {
  const options = defaultOptions(kind) ?? [
    { id: 'a', label: 'A', ...(kind === 'meeting_time' ? { startsAt: '2025-03-01T10:00Z' } : {}) },
    { id: 'b', label: 'B', ...(kind === 'meeting_time' ? { startsAt: '2025-03-01T12:00Z' } : {}) },
    { id: 'c', label: 'C', ...(kind === 'meeting_time' ? { startsAt: '2025-03-01T14:00Z' } : {}) },
  ];
  return { kind, options, ...(kind === 'count' ? { threshold: 2 } : {}), ...extra };
}

/** Choices from `{ a: 1, b: 2 }`, in that order. */
function ballot(values: Record<string, number>): Choice[] {
  return Object.entries(values).map(([optionId, value]) => ({ optionId, value }));
}

function fieldOf(r: PollRules, choices: Choice[]): string | undefined {
  return validateChoices(r, choices)?.field;
}

describe('validateChoices', () => {
  describe('every kind', () => {
    for (const kind of POLL_KINDS) {
      it(`refuses an empty ballot for ${kind} with field choices`, () => {
        expect(validateChoices(rules(kind), [])).to.deep.equal({
          field: 'choices',
          message: 'must choose at least one option',
        });
      });
    }

    it('refuses choices that are not a list', () => {
      const choices = { a: 1 } as unknown as Choice[];
      expect(validateChoices(rules('score'), choices)).to.deep.equal({
        field: 'choices',
        message: 'must be a list of choices',
      });
    });

    it('refuses a choice that is not an object', () => {
      const choices = [{ optionId: 'a', value: 1 }, null as unknown as Choice];
      expect(fieldOf(rules('score'), choices)).to.equal('choices[1]');
    });

    it('refuses an unknown or missing option id', () => {
      expect(validateChoices(rules('score'), ballot({ a: 1, z: 2 }))).to.deep.equal({
        field: 'choices[1].optionId',
        message: 'is not an option of this poll',
      });
      const missing = [{ value: 1 } as Choice];
      expect(fieldOf(rules('score'), missing)).to.equal('choices[0].optionId');
      // An inherited property name is not an option either.
      expect(fieldOf(rules('score'), ballot({ constructor: 1 }))).to.equal('choices[0].optionId');
    });

    it('refuses the same option twice, at the second choice', () => {
      const choices = [...ballot({ a: 1, b: 2 }), { optionId: 'a', value: 3 }];
      expect(validateChoices(rules('score'), choices)).to.deep.equal({
        field: 'choices[2].optionId',
        message: 'chooses the same option twice',
      });
    });
  });

  describe('proposal', () => {
    it('accepts one position chosen with 1', () => {
      for (const position of ['agree', 'abstain', 'disagree', 'block']) {
        expect(validateChoices(rules('proposal'), ballot({ [position]: 1 }))).to.equal(null);
      }
    });

    it('refuses two positions with field choices', () => {
      expect(validateChoices(rules('proposal'), ballot({ agree: 1, block: 1 }))).to.deep.equal({
        field: 'choices',
        message: 'must choose exactly one option',
      });
    });

    it('refuses a value other than 1', () => {
      for (const value of [0, 2, 0.5, Number.NaN]) {
        expect(validateChoices(rules('proposal'), ballot({ agree: value }))).to.deep.equal({
          field: 'choices[0].value',
          message: 'must be 1',
        });
      }
    });

    it('refuses a position that is not one', () => {
      expect(fieldOf(rules('proposal'), ballot({ maybe: 1 }))).to.equal('choices[0].optionId');
    });
  });

  describe('single_choice', () => {
    it('accepts one option', () => {
      expect(validateChoices(rules('single_choice'), ballot({ b: 1 }))).to.equal(null);
    });

    it('refuses two options and a value other than 1', () => {
      expect(fieldOf(rules('single_choice'), ballot({ a: 1, b: 1 }))).to.equal('choices');
      expect(fieldOf(rules('single_choice'), ballot({ a: 3 }))).to.equal('choices[0].value');
    });
  });

  describe('multiple_choice', () => {
    const twoOrThree = rules('multiple_choice', { minChoices: 2, maxChoices: 3 });
    const upToTwo = rules('multiple_choice', { maxChoices: 2 });

    it('accepts from minChoices to maxChoices options', () => {
      expect(validateChoices(twoOrThree, ballot({ a: 1, c: 1 }))).to.equal(null);
      expect(validateChoices(twoOrThree, ballot({ a: 1, b: 1, c: 1 }))).to.equal(null);
      expect(validateChoices(rules('multiple_choice'), ballot({ c: 1 }))).to.equal(null);
    });

    it('refuses fewer than minChoices', () => {
      expect(validateChoices(twoOrThree, ballot({ a: 1 }))).to.deep.equal({
        field: 'choices',
        message: 'must choose at least 2 options',
      });
    });

    it('refuses more than maxChoices', () => {
      expect(validateChoices(upToTwo, ballot({ a: 1, b: 1, c: 1 }))).to.deep.equal({
        field: 'choices',
        message: 'must choose at most 2 options',
      });
    });

    it('refuses a value other than 1', () => {
      expect(fieldOf(twoOrThree, ballot({ a: 1, b: 0 }))).to.equal('choices[1].value');
    });
  });

  describe('score', () => {
    const scale = rules('score', { minScore: -2, maxScore: 2 });

    it('accepts whole scores within the scale for any subset of options', () => {
      expect(validateChoices(rules('score'), ballot({ a: 0, b: 5, c: 3 }))).to.equal(null);
      expect(validateChoices(scale, ballot({ b: -2 }))).to.equal(null);
    });

    it('refuses a score outside the scale', () => {
      expect(validateChoices(scale, ballot({ a: 2, b: 3 }))).to.deep.equal({
        field: 'choices[1].value',
        message: 'must be from -2 to 2',
      });
      expect(fieldOf(rules('score'), ballot({ a: -1 }))).to.equal('choices[0].value');
    });

    it('refuses a fractional or non-numeric score', () => {
      expect(validateChoices(rules('score'), ballot({ a: 2.5 }))).to.deep.equal({
        field: 'choices[0].value',
        message: 'must be a whole number',
      });
      const text = [{ optionId: 'a', value: '3' as unknown as number }];
      expect(fieldOf(rules('score'), text)).to.equal('choices[0].value');
      expect(fieldOf(rules('score'), ballot({ a: Number.POSITIVE_INFINITY }))).to.equal(
        'choices[0].value',
      );
    });
  });

  describe('ranked_choice', () => {
    const r = rules('ranked_choice');

    it('accepts a full ranking and a ranking of the first k', () => {
      expect(validateChoices(r, ballot({ c: 1, a: 2, b: 3 }))).to.equal(null);
      expect(validateChoices(r, ballot({ b: 2, c: 1 }))).to.equal(null);
      expect(validateChoices(r, ballot({ a: 1 }))).to.equal(null);
    });

    it('refuses a rank below 1, above the option count, or fractional', () => {
      expect(fieldOf(r, ballot({ a: 0 }))).to.equal('choices[0].value');
      expect(validateChoices(r, ballot({ a: 1, b: 4 }))).to.deep.equal({
        field: 'choices[1].value',
        message: 'must be from 1 to 3',
      });
      expect(fieldOf(r, ballot({ a: 1.5 }))).to.equal('choices[0].value');
    });

    it('refuses a rank given twice, at the second', () => {
      expect(validateChoices(r, ballot({ a: 1, b: 2, c: 1 }))).to.deep.equal({
        field: 'choices[2].value',
        message: 'rank 1 is given twice',
      });
    });

    it('refuses a gap in the ranks, at the first rank past it', () => {
      expect(validateChoices(r, ballot({ a: 3, b: 1 }))).to.deep.equal({
        field: 'choices[0].value',
        message: 'ranks must run from 1 without gaps; rank 2 is missing',
      });
      expect(validateChoices(r, ballot({ a: 2 }))).to.deep.equal({
        field: 'choices[0].value',
        message: 'ranks must run from 1 without gaps; rank 1 is missing',
      });
    });
  });

  describe('dot_vote', () => {
    const r = rules('dot_vote', { dotsPerPerson: 5 });

    it('accepts up to dotsPerPerson dots, zeros included', () => {
      expect(validateChoices(r, ballot({ a: 2, b: 0, c: 3 }))).to.equal(null);
      expect(validateChoices(r, ballot({ b: 1 }))).to.equal(null);
      expect(validateChoices(rules('dot_vote'), ballot({ a: 10 }))).to.equal(null);
    });

    it('refuses more dots in total than dotsPerPerson', () => {
      expect(validateChoices(r, ballot({ a: 3, b: 3 }))).to.deep.equal({
        field: 'choices',
        message: 'places 6 dots; at most 5',
      });
    });

    it('refuses a ballot without a single dot', () => {
      expect(validateChoices(r, ballot({ a: 0, b: 0 }))).to.deep.equal({
        field: 'choices',
        message: 'must place at least one dot',
      });
    });

    it('refuses negative, fractional or too many dots on one option', () => {
      expect(fieldOf(r, ballot({ a: 3, b: -1 }))).to.equal('choices[1].value');
      expect(fieldOf(r, ballot({ a: 1.5 }))).to.equal('choices[0].value');
      expect(validateChoices(r, ballot({ a: 6 }))).to.deep.equal({
        field: 'choices[0].value',
        message: 'must be from 0 to 5',
      });
    });
  });

  describe('meeting_time', () => {
    const r = rules('meeting_time');

    it('accepts yes, if need be and no for any subset of times', () => {
      expect(validateChoices(r, ballot({ a: 2, b: 1, c: 0 }))).to.equal(null);
      expect(validateChoices(r, ballot({ c: 0 }))).to.equal(null);
    });

    it('refuses any other value', () => {
      for (const value of [3, -1, 1.5]) {
        expect(validateChoices(r, ballot({ a: 2, b: value }))).to.deep.equal({
          field: 'choices[1].value',
          message: 'must be 2 (yes), 1 (if need be) or 0 (no)',
        });
      }
    });
  });

  describe('count', () => {
    const r = rules('count');

    it("accepts 'commit' chosen with 1", () => {
      expect(validateChoices(r, ballot({ commit: 1 }))).to.equal(null);
    });

    it('refuses another value or option', () => {
      expect(fieldOf(r, ballot({ commit: 0 }))).to.equal('choices[0].value');
      expect(fieldOf(r, ballot({ maybe: 1 }))).to.equal('choices[0].optionId');
    });

    it('refuses committing twice', () => {
      expect(fieldOf(r, ballot({ commit: 1 }).concat(ballot({ commit: 1 })))).to.equal('choices');
    });
  });
});
