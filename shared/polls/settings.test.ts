import { expect } from 'chai';
import { MEETING_ANSWERS, POLL_KINDS, PROPOSAL_POSITIONS } from '../domain.js';
import { COUNT_OPTION_ID, MEETING_VALUES, defaultOptions, effectiveSettings } from './settings.js';

describe('poll settings', () => {
  describe('defaultOptions', () => {
    it('gives a proposal the four positions in display order', () => {
      expect(defaultOptions('proposal')?.map((o) => o.id)).to.deep.equal([...PROPOSAL_POSITIONS]);
    });

    it("gives a count poll the single 'commit' option", () => {
      expect(defaultOptions('count')).to.deep.equal([{ id: COUNT_OPTION_ID, label: "I'm in" }]);
    });

    it('leaves every other kind to its author', () => {
      const fixed = POLL_KINDS.filter((kind) => defaultOptions(kind) !== null);
      expect(fixed).to.deep.equal(['proposal', 'count']);
    });

    it('returns fresh objects on every call', () => {
      const first = defaultOptions('proposal');
      if (first) first[0].label = 'Changed';
      expect(defaultOptions('proposal')?.[0].label).to.equal('Agree');
    });
  });

  describe('effectiveSettings', () => {
    it('fills in the defaults', () => {
      const options = [
        { id: 'a', label: 'A' },
        { id: 'b', label: 'B' },
      ];
      expect(effectiveSettings({ kind: 'multiple_choice', options })).to.deep.equal({
        minChoices: 1,
        maxChoices: 2,
        minScore: 0,
        maxScore: 5,
        dotsPerPerson: 10,
      });
    });
  });

  describe('MEETING_VALUES', () => {
    it('has a value for every meeting answer', () => {
      expect(Object.keys(MEETING_VALUES)).to.have.members([...MEETING_ANSWERS]);
      expect(MEETING_VALUES).to.deep.equal({ yes: 2, if_need_be: 1, no: 0 });
    });
  });
});
