import { expect } from 'chai';
import { POLL_KINDS, type PollKind } from './domain.js';
import * as polls from './polls.js';
import {
  defaultOptions,
  effectiveSettings,
  tally,
  validateChoices,
  validateRules,
  type Choice,
  type PollRules,
} from './polls.js';

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
function generator(seed: number): { int: (min: number, max: number) => number } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

type Random = ReturnType<typeof generator>;

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Random sound rules of a kind, with few options so that ties are common. */
function randomRules(kind: PollKind, random: Random): PollRules {
  const fixed = defaultOptions(kind);
  const options =
    fixed ??
    Array.from({ length: random.int(2, 5) }, (_, i) => ({
      id: `o${i}`,
      label: `Option ${i}`,
      ...(kind === 'meeting_time' ? { startsAt: `2025-03-0${i + 1}T10:00:00Z` } : {}),
    }));
  const rules: PollRules = { kind, options };
  if (kind === 'multiple_choice') {
    rules.minChoices = random.int(1, options.length);
    rules.maxChoices = random.int(rules.minChoices, options.length);
  }
  if (kind === 'score') {
    rules.minScore = random.int(-3, 1);
    rules.maxScore = random.int(rules.minScore + 1, 4);
  }
  if (kind === 'dot_vote') rules.dotsPerPerson = random.int(1, 8);
  if (kind === 'count') rules.threshold = random.int(1, 10);
  return rules;
}

/** A random ballot that obeys the rules. */
function randomBallot(rules: PollRules, random: Random): Choice[] {
  const ids = shuffled(
    rules.options.map((o) => o.id),
    random,
  );
  const s = effectiveSettings(rules);
  const some = (min: number) => ids.slice(0, random.int(min, ids.length));
  switch (rules.kind) {
    case 'proposal':
    case 'single_choice':
    case 'count':
      return [{ optionId: ids[0], value: 1 }];
    case 'multiple_choice':
      return ids
        .slice(0, random.int(s.minChoices, s.maxChoices))
        .map((optionId) => ({ optionId, value: 1 }));
    case 'score':
      return some(1).map((optionId) => ({ optionId, value: random.int(s.minScore, s.maxScore) }));
    case 'ranked_choice':
      return some(1).map((optionId, i) => ({ optionId, value: i + 1 }));
    case 'meeting_time':
      return some(1).map((optionId) => ({ optionId, value: random.int(0, 2) }));
    case 'dot_vote': {
      const dots = new Map(some(1).map((id) => [id, 0]));
      const targets = [...dots.keys()];
      for (let left = random.int(1, s.dotsPerPerson); left > 0; left -= 1) {
        const id = targets[random.int(0, targets.length - 1)];
        dots.set(id, (dots.get(id) ?? 0) + 1);
      }
      return [...dots].map(([optionId, value]) => ({ optionId, value }));
    }
  }
}

describe('polls (public API)', () => {
  it('exports exactly the poll API', () => {
    expect(Object.keys(polls).sort()).to.deep.equal([
      'COUNT_OPTION_ID',
      'MEETING_VALUES',
      'POLL_DEFAULTS',
      'POLL_LIMITS',
      'defaultOptions',
      'effectiveSettings',
      'parseStartsAt',
      'tally',
      'validateChoices',
      'validateRules',
    ]);
  });

  describe('property: the order of ballots and of choices never changes the results', () => {
    for (const kind of POLL_KINDS) {
      it(`holds for ${kind} polls over 50 random polls`, () => {
        for (let seed = 1; seed <= 50; seed += 1) {
          const random = generator(seed * 31 + POLL_KINDS.indexOf(kind));
          const rules = randomRules(kind, random);
          expect(validateRules(rules), `seed ${seed}`).to.equal(null);
          const votes = Array.from({ length: random.int(0, 12) }, () =>
            randomBallot(rules, random),
          );
          for (const ballot of votes) {
            expect(validateChoices(rules, ballot), `seed ${seed}`).to.equal(null);
          }

          const results = tally(rules, votes);
          for (let round = 0; round < 5; round += 1) {
            const reordered = shuffled(votes, random).map((ballot) => shuffled(ballot, random));
            expect(tally(rules, reordered), `seed ${seed}, round ${round}`).to.deep.equal(results);
          }

          // Sanity of what was compared: ranks follow scores, leaders hold rank 1.
          expect(results.voterCount).to.equal(votes.length);
          for (const option of results.options) {
            const better = results.options.filter((o) => o.score > option.score).length;
            expect(option.rank).to.equal(better + 1);
          }
          for (const id of results.leaders) {
            expect(results.options.find((o) => o.optionId === id)?.rank).to.equal(1);
          }
          const shares = results.options.reduce((sum, o) => sum + o.share, 0);
          if (shares > 0) expect(shares).to.be.closeTo(1, 1e-9);
        }
      });
    }
  });
});
