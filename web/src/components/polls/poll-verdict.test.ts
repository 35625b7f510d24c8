import { expect } from 'chai';
import type { PollDto } from '../../../../shared/dto.js';
import { tally } from '../../../../shared/polls.js';
import { outcomePrompt, verdictOf, verdictText } from './poll-verdict.js';

const POSITIONS = ['agree', 'abstain', 'disagree', 'block'].map((id) => ({
  id,
  label: id.charAt(0).toUpperCase() + id.slice(1),
}));

/** A proposal with these positions cast, closed or open. */
function proposal(positions: string[], closed: boolean): PollDto {
  const results = tally(
    { kind: 'proposal', options: POSITIONS },
    positions.map((optionId) => [{ optionId, value: 1 }]),
  );
  return {
    id: 'p1',
    discussionId: 'd1',
    groupId: 'g1',
    author: { id: 'u1', name: 'Ada', handle: 'ada', avatarUrl: null, status: 'active' },
    kind: 'proposal',
    title: 'Keep the hens',
    details: '',
    options: POSITIONS,
    settings: {
      minChoices: null,
      maxChoices: null,
      minScore: null,
      maxScore: null,
      dotsPerPerson: null,
      threshold: null,
      anonymous: false,
      hideResults: 'never',
      reasonRequired: false,
      voterIds: null,
    },
    closesAt: null,
    closedAt: closed ? '2026-11-30T10:00:00.000Z' : null,
    outcome: null,
    voterCount: results.voterCount,
    results,
    myVote: null,
    abilities: {
      canVote: false,
      canClose: true,
      canReopen: true,
      canPublishOutcome: true,
      canEdit: false,
      canSeeResults: true,
    },
    createdAt: '2026-11-28T10:00:00.000Z',
    updatedAt: '2026-11-30T10:00:00.000Z',
  };
}

describe('poll verdicts: leading, tied, blocked, and what the outcome form asks', () => {
  it('calls a tie a tie, never two leaders', () => {
    const poll = proposal(['agree', 'agree', 'disagree', 'disagree'], false);
    const verdict = verdictOf(poll, poll.results!);
    expect(verdict).to.deep.equal({ kind: 'tied', labels: ['Agree', 'Disagree'] });
    expect(verdictText(verdict, false)).to.equal('Tied: Agree and Disagree');
  });

  it('says a proposal is blocked whatever leads, and counts the blocks', () => {
    const poll = proposal(['agree', 'agree', 'block'], false);
    expect(verdictText(verdictOf(poll, poll.results!), false)).to.equal('Blocked (1 block)');
  });

  it('asks for the outcome of a proposal that closed tied or blocked in those words', () => {
    expect(outcomePrompt(proposal(['agree', 'disagree'], true))).to.equal(
      'This proposal closed tied between Agree and Disagree. Say what the group decided, and what happens next.',
    );
    expect(outcomePrompt(proposal(['agree', 'block', 'block'], true))).to.match(
      /^This proposal closed blocked: 2 people blocked it\./,
    );
    expect(outcomePrompt(proposal(['agree', 'agree', 'disagree'], true))).to.equal(
      'What was decided, and what happens next?',
    );
    // Still open: nothing has closed tied yet.
    expect(outcomePrompt(proposal(['agree', 'disagree'], false))).to.equal(
      'What was decided, and what happens next?',
    );
  });
});
