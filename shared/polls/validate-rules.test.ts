import { expect } from 'chai';
import { POLL_KINDS, type PollKind } from '../domain.js';
import { defaultOptions, effectiveSettings } from './settings.js';
import type { PollOption, PollRules } from './types.js';
import { validateRules } from './validate-rules.js';

function written(n: number): PollOption[] {
  return Array.from({ length: n }, (_, i) => ({ id: `o${i + 1}`, label: `Option ${i + 1}` }));
}

function times(...startsAt: string[]): PollOption[] {
  return startsAt.map((at, i) => ({ id: `t${i + 1}`, label: at, startsAt: at }));
}

/** Sound rules of a kind, with `extra` laid over them. */
function rules(kind: PollKind, extra: Partial<PollRules> = {}): PollRules {
  const options =
    defaultOptions(kind) ??
    (kind === 'meeting_time'
      ? times('2025-03-01T10:00:00Z', '2025-03-01T14:00:00Z', '2025-03-02T10:00:00Z')
      : written(3));
  return { kind, options, ...(kind === 'count' ? { threshold: 3 } : {}), ...extra };
}

/** The field of the problem, so a failing test shows the whole problem. */
function fieldOf(r: PollRules): string | undefined {
  return validateRules(r)?.field;
}

describe('validateRules', () => {
  describe('every kind', () => {
    for (const kind of POLL_KINDS) {
      it(`accepts sound ${kind} rules`, () => {
        expect(validateRules(rules(kind))).to.equal(null);
      });
    }

    it('refuses an unknown kind with field kind', () => {
      const problem = validateRules({ ...rules('single_choice'), kind: 'lottery' as PollKind });
      expect(problem).to.deep.equal({
        field: 'kind',
        message:
          'must be one of proposal, single_choice, multiple_choice, score, ranked_choice, dot_vote, meeting_time, count',
      });
    });

    const misplaced: [keyof PollRules, PollKind, number][] = [
      ['minChoices', 'single_choice', 1],
      ['maxChoices', 'ranked_choice', 2],
      ['minScore', 'dot_vote', 0],
      ['maxScore', 'multiple_choice', 5],
      ['dotsPerPerson', 'score', 10],
      ['threshold', 'proposal', 3],
    ];
    for (const [setting, kind, value] of misplaced) {
      it(`refuses ${setting} on a ${kind} poll`, () => {
        const problem = validateRules(rules(kind, { [setting]: value }));
        expect(problem?.field).to.equal(setting);
        expect(problem?.message).to.match(/^only applies to \w+ polls$/);
      });
    }

    it('refuses options that are not a list', () => {
      const bad = { ...rules('single_choice'), options: 'a,b' as unknown as PollOption[] };
      expect(fieldOf(bad)).to.equal('options');
    });

    it('refuses more than 100 options and accepts 100', () => {
      expect(fieldOf(rules('single_choice', { options: written(101) }))).to.equal('options');
      expect(fieldOf(rules('single_choice', { options: written(100) }))).to.equal(undefined);
    });

    it('refuses an option that is not an object', () => {
      const options = [...written(2), null as unknown as PollOption];
      expect(fieldOf(rules('single_choice', { options }))).to.equal('options[2]');
    });

    it('refuses an empty, missing or overlong id', () => {
      const empty = written(3).map((o, i) => (i === 1 ? { ...o, id: '' } : o));
      expect(fieldOf(rules('single_choice', { options: empty }))).to.equal('options[1].id');
      const missing = [{ label: 'x' } as PollOption, ...written(2)];
      expect(fieldOf(rules('single_choice', { options: missing }))).to.equal('options[0].id');
      const long = written(2).concat({ id: 'x'.repeat(65), label: 'Long' });
      expect(fieldOf(rules('single_choice', { options: long }))).to.equal('options[2].id');
    });

    it('refuses a duplicate id at the second occurrence', () => {
      const options = [...written(2), { id: 'o1', label: 'Again' }];
      expect(validateRules(rules('single_choice', { options }))).to.deep.equal({
        field: 'options[2].id',
        message: "duplicates another option's id",
      });
    });

    it('refuses a blank or missing label', () => {
      const blank = written(2).map((o, i) => (i === 0 ? { ...o, label: '  \n' } : o));
      expect(fieldOf(rules('single_choice', { options: blank }))).to.equal('options[0].label');
      const missing = [...written(2), { id: 'x' } as PollOption];
      expect(fieldOf(rules('single_choice', { options: missing }))).to.equal('options[2].label');
    });

    it('accepts a label of 200 characters and refuses 201', () => {
      const at = (n: number) => [{ id: 'a', label: 'x'.repeat(n) }, ...written(1)];
      expect(fieldOf(rules('single_choice', { options: at(200) }))).to.equal(undefined);
      expect(fieldOf(rules('single_choice', { options: at(201) }))).to.equal('options[0].label');
    });

    it('refuses a start time on a poll that is not meeting_time', () => {
      const options = written(2).map((o, i) =>
        i === 1 ? { ...o, startsAt: '2025-03-01T10:00Z' } : o,
      );
      expect(validateRules(rules('single_choice', { options }))).to.deep.equal({
        field: 'options[1].startsAt',
        message: 'only meeting_time options have a start time',
      });
    });
  });

  describe('proposal', () => {
    it('accepts the four positions in any order', () => {
      const options = [...(defaultOptions('proposal') ?? [])].reverse();
      expect(fieldOf(rules('proposal', { options }))).to.equal(undefined);
    });

    it('refuses a missing, extra or foreign position with field options', () => {
      const four = defaultOptions('proposal') ?? [];
      for (const options of [
        four.slice(0, 3),
        [...four, { id: 'maybe', label: 'Maybe' }],
        [...four.slice(0, 3), { id: 'veto', label: 'Veto' }],
      ]) {
        expect(validateRules(rules('proposal', { options }))).to.deep.equal({
          field: 'options',
          message: 'must be exactly the positions agree, abstain, disagree, block',
        });
      }
    });
  });

  for (const kind of ['single_choice', 'ranked_choice'] as const) {
    describe(kind, () => {
      it('refuses fewer than two options with field options', () => {
        for (const options of [[], written(1)]) {
          expect(validateRules(rules(kind, { options }))).to.deep.equal({
            field: 'options',
            message: 'must offer at least 2 options',
          });
        }
      });
    });
  }

  describe('multiple_choice', () => {
    it('accepts minChoices and maxChoices within 1..options, min equal to max', () => {
      expect(fieldOf(rules('multiple_choice', { minChoices: 2, maxChoices: 2 }))).to.equal(
        undefined,
      );
      expect(fieldOf(rules('multiple_choice', { minChoices: 3 }))).to.equal(undefined);
    });

    it('refuses fewer than two options', () => {
      expect(fieldOf(rules('multiple_choice', { options: written(1) }))).to.equal('options');
    });

    it('refuses minChoices out of range or fractional', () => {
      for (const minChoices of [0, 4, 1.5, Number.NaN]) {
        expect(fieldOf(rules('multiple_choice', { minChoices }))).to.equal('minChoices');
      }
    });

    it('refuses maxChoices out of range', () => {
      expect(validateRules(rules('multiple_choice', { maxChoices: 4 }))).to.deep.equal({
        field: 'maxChoices',
        message: 'must be from 1 to 3',
      });
    });

    it('refuses minChoices above maxChoices', () => {
      expect(
        validateRules(rules('multiple_choice', { minChoices: 3, maxChoices: 2 })),
      ).to.deep.equal({
        field: 'minChoices',
        message: 'must not exceed maxChoices (2)',
      });
    });
  });

  describe('score', () => {
    it('accepts the default scale and a negative one', () => {
      expect(effectiveSettings(rules('score'))).to.include({ minScore: 0, maxScore: 5 });
      expect(fieldOf(rules('score', { minScore: -2, maxScore: 2 }))).to.equal(undefined);
    });

    it('refuses a minScore not below maxScore, defaults included', () => {
      expect(fieldOf(rules('score', { minScore: 3, maxScore: 3 }))).to.equal('minScore');
      expect(validateRules(rules('score', { minScore: 7 }))).to.deep.equal({
        field: 'minScore',
        message: 'must be below maxScore (5)',
      });
    });

    it('refuses scores beyond ±1000 or fractional', () => {
      expect(fieldOf(rules('score', { maxScore: 1001 }))).to.equal('maxScore');
      expect(fieldOf(rules('score', { minScore: -1001 }))).to.equal('minScore');
      expect(fieldOf(rules('score', { maxScore: 2.5 }))).to.equal('maxScore');
      expect(fieldOf(rules('score', { maxScore: Number.POSITIVE_INFINITY }))).to.equal('maxScore');
    });

    it('refuses fewer than two options', () => {
      expect(fieldOf(rules('score', { options: written(1) }))).to.equal('options');
    });
  });

  describe('dot_vote', () => {
    it('defaults to 10 dots and accepts 1..1000', () => {
      expect(effectiveSettings(rules('dot_vote')).dotsPerPerson).to.equal(10);
      expect(fieldOf(rules('dot_vote', { dotsPerPerson: 1 }))).to.equal(undefined);
      expect(fieldOf(rules('dot_vote', { dotsPerPerson: 1000 }))).to.equal(undefined);
    });

    it('refuses a dotsPerPerson out of range or fractional', () => {
      for (const dotsPerPerson of [0, -3, 1001, 2.5]) {
        expect(fieldOf(rules('dot_vote', { dotsPerPerson }))).to.equal('dotsPerPerson');
      }
    });

    it('refuses fewer than two options', () => {
      expect(fieldOf(rules('dot_vote', { options: written(1) }))).to.equal('options');
    });
  });

  describe('meeting_time', () => {
    it('refuses an option without a start time', () => {
      const options = [...times('2025-03-01T10:00Z'), { id: 'x', label: 'Someday' }];
      expect(fieldOf(rules('meeting_time', { options }))).to.equal('options[1].startsAt');
    });

    it('refuses times that are not ISO-8601 with a time zone', () => {
      for (const bad of ['2025-03-01T10:00:00', '2025-02-29T10:00Z', 'tomorrow', '2025-03-01']) {
        const problem = validateRules(
          rules('meeting_time', { options: times('2025-03-01T09:00Z', bad) }),
        );
        expect(problem?.field, bad).to.equal('options[1].startsAt');
        expect(problem?.message).to.match(/^must be an ISO-8601 date and time with a time zone/);
      }
    });

    it('refuses two options at the same instant, whatever the zone', () => {
      const options = times('2025-03-01T10:00:00Z', '2025-03-01T11:00:00+01:00');
      expect(validateRules(rules('meeting_time', { options }))).to.deep.equal({
        field: 'options[1].startsAt',
        message: 'is the same time as options[0]',
      });
    });

    it('refuses fewer than two options', () => {
      const options = times('2025-03-01T10:00Z');
      expect(fieldOf(rules('meeting_time', { options }))).to.equal('options');
    });
  });

  describe('count', () => {
    it('requires a threshold', () => {
      expect(
        validateRules({ kind: 'count', options: defaultOptions('count') ?? [] }),
      ).to.deep.equal({
        field: 'threshold',
        message: 'is required for a count poll',
      });
    });

    it('refuses a threshold below 1, above a million or fractional', () => {
      for (const threshold of [0, -1, 1_000_001, 2.5]) {
        expect(fieldOf(rules('count', { threshold }))).to.equal('threshold');
      }
      expect(fieldOf(rules('count', { threshold: 1 }))).to.equal(undefined);
    });

    it("refuses any options but the single 'commit'", () => {
      for (const options of [written(2), [{ id: 'in', label: 'In' }], []]) {
        expect(validateRules(rules('count', { options }))).to.deep.equal({
          field: 'options',
          message: "must be the single option 'commit'",
        });
      }
    });
  });
});
