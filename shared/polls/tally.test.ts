import { expect } from 'chai';
import { POLL_KINDS, type PollKind } from '../domain.js';
import { defaultOptions } from './settings.js';
import { tally } from './tally.js';
import type { Choice, OptionResult, PollRules } from './types.js';

function rules(kind: PollKind, extra: Partial<PollRules> = {}): PollRules {
  const options = defaultOptions(kind) ?? [
    { id: 'a', label: 'A', ...(kind === 'meeting_time' ? { startsAt: '2025-03-01T10:00Z' } : {}) },
    { id: 'b', label: 'B', ...(kind === 'meeting_time' ? { startsAt: '2025-03-01T12:00Z' } : {}) },
    { id: 'c', label: 'C', ...(kind === 'meeting_time' ? { startsAt: '2025-03-01T14:00Z' } : {}) },
  ];
  return { kind, options, ...(kind === 'count' ? { threshold: 3 } : {}), ...extra };
}

/** Ballots from `[{ a: 1 }, { b: 1, c: 1 }]`. */
function ballots(...values: Record<string, number>[]): Choice[][] {
  return values.map((v) => Object.entries(v).map(([optionId, value]) => ({ optionId, value })));
}

/** The named columns of each option's result, in option order. */
function column<K extends keyof OptionResult>(options: OptionResult[], key: K): OptionResult[K][] {
  return options.map((o) => o[key]);
}

describe('tally', () => {
  describe('every kind', () => {
    for (const kind of POLL_KINDS) {
      it(`gives an empty ${kind} poll zeros, rank 1 everywhere and no leaders`, () => {
        const r = rules(kind);
        const results = tally(r, []);
        expect(results.kind).to.equal(kind);
        expect(results.voterCount).to.equal(0);
        expect(results.leaders).to.deep.equal([]);
        expect(column(results.options, 'optionId')).to.deep.equal(r.options.map((o) => o.id));
        for (const option of results.options) {
          expect(option).to.include({ score: 0, voters: 0, share: 0, rank: 1 });
          expect(option.average).to.equal(undefined);
        }
      });
    }

    it('ignores choices for options no longer in the poll, and ballots left with none', () => {
      const results = tally(rules('single_choice'), ballots({ a: 1 }, { gone: 1 }, { b: 1 }));
      expect(results.voterCount).to.equal(2);
      expect(column(results.options, 'score')).to.deep.equal([1, 1, 0]);
    });

    it('reports only aggregate fields, never anything per ballot', () => {
      const results = tally(rules('meeting_time'), ballots({ a: 2, b: 0 }, { a: 1 }));
      expect(Object.keys(results)).to.have.members(['kind', 'voterCount', 'options', 'leaders']);
      expect(Object.keys(results.options[0])).to.have.members([
        ...['optionId', 'label', 'score', 'voters', 'share', 'rank', 'yes', 'ifNeedBe', 'no'],
      ]);
    });

    it('leaves its inputs unchanged', () => {
      const r = rules('ranked_choice');
      const votes = ballots({ a: 1, b: 2 }, { c: 1 });
      const before = JSON.stringify([r, votes]);
      tally(r, votes);
      expect(JSON.stringify([r, votes])).to.equal(before);
    });
  });

  describe('proposal', () => {
    it('counts positions, shares and ranks', () => {
      const votes = ballots(
        { agree: 1 },
        { agree: 1 },
        { agree: 1 },
        { disagree: 1 },
        { abstain: 1 },
      );
      const results = tally(rules('proposal'), votes);
      expect(results.voterCount).to.equal(5);
      expect(column(results.options, 'score')).to.deep.equal([3, 1, 1, 0]);
      expect(column(results.options, 'voters')).to.deep.equal([3, 1, 1, 0]);
      expect(column(results.options, 'share')).to.deep.equal([0.6, 0.2, 0.2, 0]);
      expect(column(results.options, 'rank')).to.deep.equal([1, 2, 2, 4]);
      expect(results.leaders).to.deep.equal(['agree']);
      expect(results.blocked).to.equal(false);
    });

    it('is blocked by a single block', () => {
      const results = tally(rules('proposal'), ballots({ agree: 1 }, { agree: 1 }, { block: 1 }));
      expect(results.blocked).to.equal(true);
      expect(results.leaders).to.deep.equal(['agree']);
    });

    it('names every tied position as a leader, in option order', () => {
      const results = tally(rules('proposal'), ballots({ block: 1 }, { agree: 1 }, { abstain: 1 }));
      expect(results.leaders).to.deep.equal(['agree', 'abstain', 'block']);
      expect(column(results.options, 'rank')).to.deep.equal([1, 1, 4, 1]);
    });

    it('is not blocked while empty', () => {
      expect(tally(rules('proposal'), []).blocked).to.equal(false);
    });
  });

  describe('single_choice', () => {
    it('counts votes per option', () => {
      const results = tally(
        rules('single_choice'),
        ballots({ b: 1 }, { c: 1 }, { b: 1 }, { b: 1 }),
      );
      expect(column(results.options, 'score')).to.deep.equal([0, 3, 1]);
      expect(column(results.options, 'share')).to.deep.equal([0, 0.75, 0.25]);
      expect(column(results.options, 'rank')).to.deep.equal([3, 1, 2]);
      expect(results.leaders).to.deep.equal(['b']);
    });

    it('shares rank 1 on a tie and skips rank 2 (1, 1, 3)', () => {
      const results = tally(rules('single_choice'), ballots({ c: 1 }, { a: 1 }));
      expect(column(results.options, 'rank')).to.deep.equal([1, 3, 1]);
      expect(results.leaders).to.deep.equal(['a', 'c']);
    });
  });

  describe('multiple_choice', () => {
    it('counts each chosen option once per voter; shares are of all votes', () => {
      const votes = ballots({ a: 1, b: 1 }, { a: 1, c: 1 }, { a: 1 });
      const results = tally(rules('multiple_choice'), votes);
      expect(results.voterCount).to.equal(3);
      expect(column(results.options, 'score')).to.deep.equal([3, 1, 1]);
      expect(column(results.options, 'voters')).to.deep.equal([3, 1, 1]);
      expect(column(results.options, 'share')).to.deep.equal([0.6, 0.2, 0.2]);
      expect(column(results.options, 'rank')).to.deep.equal([1, 2, 2]);
      expect(results.leaders).to.deep.equal(['a']);
    });

    it('names all tied options', () => {
      const results = tally(rules('multiple_choice'), ballots({ a: 1, b: 1, c: 1 }));
      expect(results.leaders).to.deep.equal(['a', 'b', 'c']);
      expect(column(results.options, 'rank')).to.deep.equal([1, 1, 1]);
    });
  });

  describe('score', () => {
    it('sums scores and averages over the voters who scored each option', () => {
      const votes = ballots({ a: 5, b: 2 }, { a: 3 }, { a: 4, b: 0, c: 1 });
      const results = tally(rules('score'), votes);
      expect(column(results.options, 'score')).to.deep.equal([12, 2, 1]);
      expect(column(results.options, 'voters')).to.deep.equal([3, 2, 1]);
      expect(column(results.options, 'average')).to.deep.equal([4, 1, 1]);
      expect(column(results.options, 'share')).to.deep.equal([12 / 15, 2 / 15, 1 / 15]);
      expect(results.leaders).to.deep.equal(['a']);
    });

    it('leaves the average out for an option nobody scored', () => {
      const results = tally(rules('score'), ballots({ a: 2 }));
      expect(column(results.options, 'average')).to.deep.equal([2, undefined, undefined]);
      expect(results.options[1]).to.not.have.property('average');
    });

    it('ranks and leads by total on a negative scale; shares count negatives as 0', () => {
      const r = rules('score', { minScore: -2, maxScore: 2 });
      const results = tally(r, ballots({ a: -2, b: -1, c: 2 }, { a: -1, b: -1, c: -1 }));
      expect(column(results.options, 'score')).to.deep.equal([-3, -2, 1]);
      expect(column(results.options, 'rank')).to.deep.equal([3, 2, 1]);
      expect(column(results.options, 'share')).to.deep.equal([0, 0, 1]);
      expect(results.leaders).to.deep.equal(['c']);

      const allNegative = tally(r, ballots({ a: -1, b: -2 }));
      expect(allNegative.leaders).to.deep.equal(['c']); // unscored c totals 0, the best
      expect(column(allNegative.options, 'share')).to.deep.equal([0, 0, 0]);
    });

    it('leads with every option tied at the top, even at zero', () => {
      const results = tally(rules('score'), ballots({ a: 0, b: 0, c: 0 }));
      expect(results.leaders).to.deep.equal(['a', 'b', 'c']);
      expect(column(results.options, 'average')).to.deep.equal([0, 0, 0]);
    });
  });

  describe('ranked_choice', () => {
    it('gives n - rank Borda points, nothing to unranked options', () => {
      // Three options: first earns 2, second 1, third 0.
      const votes = ballots({ a: 1, b: 2, c: 3 }, { b: 1, a: 2 }, { c: 1 }, { b: 1 });
      const results = tally(rules('ranked_choice'), votes);
      expect(column(results.options, 'score')).to.deep.equal([2 + 1, 1 + 2 + 2, 0 + 2]);
      expect(column(results.options, 'voters')).to.deep.equal([2, 3, 2]);
      expect(column(results.options, 'share')).to.deep.equal([3 / 10, 5 / 10, 2 / 10]);
      expect(column(results.options, 'rank')).to.deep.equal([2, 1, 3]);
      expect(results.leaders).to.deep.equal(['b']);
    });

    it('ties when points are equal, however they were earned', () => {
      // a: 2 + 0 = 2; b: 1 + 1 = 2; c: 0 + 2 = 2.
      const votes = ballots({ a: 1, b: 2, c: 3 }, { c: 1, b: 2, a: 3 });
      const results = tally(rules('ranked_choice'), votes);
      expect(column(results.options, 'score')).to.deep.equal([2, 2, 2]);
      expect(results.leaders).to.deep.equal(['a', 'b', 'c']);
    });

    it('counts the points of the poll as it stands, with n options', () => {
      const four = rules('ranked_choice', {
        options: ['a', 'b', 'c', 'd'].map((id) => ({ id, label: id.toUpperCase() })),
      });
      const results = tally(four, ballots({ d: 1, a: 2 }));
      expect(column(results.options, 'score')).to.deep.equal([2, 0, 0, 3]);
      expect(column(results.options, 'rank')).to.deep.equal([2, 3, 3, 1]);
    });
  });

  describe('dot_vote', () => {
    it('sums dots; a zero does not make a voter', () => {
      const votes = ballots({ a: 6, b: 4 }, { a: 0, c: 10 }, { b: 3 });
      const results = tally(rules('dot_vote'), votes);
      expect(column(results.options, 'score')).to.deep.equal([6, 7, 10]);
      expect(column(results.options, 'voters')).to.deep.equal([1, 2, 1]);
      expect(column(results.options, 'share')).to.deep.equal([6 / 23, 7 / 23, 10 / 23]);
      expect(column(results.options, 'rank')).to.deep.equal([3, 2, 1]);
      expect(results.leaders).to.deep.equal(['c']);
    });

    it('names tied options', () => {
      const results = tally(rules('dot_vote'), ballots({ a: 5, b: 5 }));
      expect(results.leaders).to.deep.equal(['a', 'b']);
      expect(column(results.options, 'rank')).to.deep.equal([1, 1, 3]);
    });
  });

  describe('meeting_time', () => {
    it('counts answers and scores 2 * yes + if need be', () => {
      const votes = ballots({ a: 2, b: 1, c: 0 }, { a: 1, b: 2 }, { a: 0, b: 2, c: 2 });
      const results = tally(rules('meeting_time'), votes);
      expect(column(results.options, 'yes')).to.deep.equal([1, 2, 1]);
      expect(column(results.options, 'ifNeedBe')).to.deep.equal([1, 1, 0]);
      expect(column(results.options, 'no')).to.deep.equal([1, 0, 1]);
      expect(column(results.options, 'score')).to.deep.equal([3, 5, 2]);
      expect(column(results.options, 'voters')).to.deep.equal([3, 3, 2]);
      expect(column(results.options, 'share')).to.deep.equal([0.3, 0.5, 0.2]);
      expect(results.leaders).to.deep.equal(['b']);
    });

    it('ties a yes with two if-need-bes', () => {
      const results = tally(rules('meeting_time'), ballots({ a: 2, b: 1 }, { b: 1 }));
      expect(column(results.options, 'score')).to.deep.equal([2, 2, 0]);
      expect(results.leaders).to.deep.equal(['a', 'b']);
      expect(column(results.options, 'rank')).to.deep.equal([1, 1, 3]);
    });

    it('has no leader when every answer is no', () => {
      const results = tally(rules('meeting_time'), ballots({ a: 0, b: 0 }, { c: 0 }));
      expect(results.voterCount).to.equal(2);
      expect(results.leaders).to.deep.equal([]);
      expect(column(results.options, 'no')).to.deep.equal([1, 1, 1]);
      expect(column(results.options, 'rank')).to.deep.equal([1, 1, 1]);
    });

    it('gives an empty poll zero answers', () => {
      const [first] = tally(rules('meeting_time'), []).options;
      expect(first).to.include({ yes: 0, ifNeedBe: 0, no: 0 });
    });
  });

  describe('count', () => {
    it('counts the people in, below the threshold', () => {
      const results = tally(rules('count'), ballots({ commit: 1 }, { commit: 1 }));
      expect(results).to.deep.include({
        committed: 2,
        thresholdReached: false,
        leaders: ['commit'],
      });
      expect(results.options[0]).to.include({ score: 2, voters: 2, share: 1, rank: 1 });
    });

    it('reaches the threshold at exactly N', () => {
      const three = ballots({ commit: 1 }, { commit: 1 }, { commit: 1 });
      expect(tally(rules('count'), three)).to.deep.include({
        committed: 3,
        thresholdReached: true,
      });
    });

    it('commits nobody while empty', () => {
      expect(tally(rules('count'), [])).to.deep.include({
        committed: 0,
        thresholdReached: false,
        leaders: [],
      });
    });
  });
});
