/**
 * Maple Street Housing Co-op, the closed group: the roof repair, with the
 * contractor invited as a guest, a proposal the closing job closed (outcome
 * published) and a score poll whose results stay hidden until one votes; and
 * the laundry rules, with a comment its author deleted, a multiple-choice poll
 * closed early with an outcome, and the discussion closed at the end.
 */
import { loadViewer } from '../../server/src/auth/viewer.js';
import { GuestModel } from '../../server/src/models/guest.js';
import { canInviteGuests } from '../../server/src/policies/discussion.js';
import {
  amounts,
  close,
  closeScene,
  conclude,
  pick,
  picks,
  raise,
  react,
  remove,
  say,
  startScene,
  vote,
  type Scene,
} from './actions.js';
import type { DemoGroups } from './groups.js';
import type { Cast } from './people.js';

async function roof(cast: Cast, groups: DemoGroups): Promise<Scene> {
  const { tomas, zoe, meiling, priya, nightowl, amara, samir } = cast;
  const scene = await startScene({
    group: groups.coop,
    author: tomas,
    title: 'Roof repair and solar panels',
    context:
      'The survey after the February storm found **slipped tiles and a failing valley ' +
      'gutter** on the north roof. We have two quotes for the repair; the lower one is from ' +
      'Haddad & Sons (18,400 €, scaffolding included).\n\n' +
      'While the scaffolding is up we could also add solar panels. I have invited **Samir ' +
      'Haddad**, who prepared the quote, as a guest of this discussion so he can answer ' +
      'questions directly. He sees this discussion only, nothing else of the co-op.',
    span: [18, 0.5],
  });
  // A guest place, as an accepted invitation to this discussion grants it.
  if (!canInviteGuests(await loadViewer(tomas), scene.discussion, scene.group))
    throw new Error('demo seed: the policies do not allow Tomás to invite a guest');
  await GuestModel.create({
    discussionId: scene.discussion._id,
    userId: samir._id,
    invitedById: tomas._id,
  });

  const valley = await say(
    scene,
    zoe,
    'Thanks Tomás. Is the valley gutter in the quote lead or GRP? The survey recommends lead.',
  );
  const lead = await say(
    scene,
    samir,
    'Hi Zoë, it is lead (code 5) with new boards underneath. GRP would save about 900 €, ' +
      'but I would not recommend it on a north-facing valley.',
    valley,
  );
  await say(
    scene,
    meiling,
    'From the reserve fund side: we can pay for the repair without a levy, but solar would ' +
      'need a loan or a one-off contribution. Shall we decide the repair first?',
  );
  const sleep = await say(
    scene,
    nightowl,
    'Could the work avoid early mornings? Those of us on nights are asleep under that roof ' +
      'until ten.',
  );
  const ten = await say(scene, samir, 'We can start at 10 every day. Noted!', sleep);
  await say(
    scene,
    tomas,
    'Proposal below for the repair. If you disagree or block, please say why: that is what ' +
      'the reasons are for.',
  );
  await react(scene, lead, '👍', [zoe, tomas]);
  await react(scene, ten, '🙏', [nightowl]);

  const repair = await raise(scene, tomas, {
    kind: 'proposal',
    title: 'Accept the Haddad & Sons quote for the north roof',
    details:
      '18,400 € from the reserve fund, lead valley gutter, work to start in May with 10am ' +
      'starts.',
    closesInDays: 5,
  });
  await vote(scene, repair, tomas, pick('agree'), 'The lower quote, from a firm that answers.');
  await vote(scene, repair, zoe, pick('agree'), 'Lead valley, as the survey recommends.');
  await vote(scene, repair, meiling, pick('agree'), 'Affordable without a levy.');
  await vote(
    scene,
    repair,
    amara,
    pick('disagree'),
    'I would like a third quote before we spend this much.',
  );
  await vote(scene, repair, priya, pick('abstain'), 'Away in May and have not read the survey.');
  await vote(scene, repair, nightowl, pick('agree'), 'Yes, and thank you for the 10am starts.');
  const closed = await close(scene, repair, null);
  await conclude(
    scene,
    closed,
    tomas,
    'Agreed: 4 in favour, 1 against, 1 abstention, no blocks. I will sign the Haddad & Sons ' +
      'contract this week; work starts in May, never before 10am. Amara’s point stands for ' +
      'next time: three quotes for any work over 10,000 €.',
  );

  const solar = await raise(scene, zoe, {
    kind: 'score',
    title: 'How do you rate the solar options?',
    details:
      'From 0 (no way) to 5 (yes please). Results stay hidden until you have voted, so ' +
      'nobody anchors on the early scores.',
    options: [
      { id: 'none', label: 'No panels for now' },
      { id: 'small', label: '4 kWp on the south slope (about 7,000 €)' },
      { id: 'large', label: '8 kWp with a battery (about 16,500 €)' },
    ],
    settings: { minScore: 0, maxScore: 5 },
    closesInDays: 7,
    hideResults: 'until_voted',
  });
  await vote(scene, solar, zoe, amounts({ none: 1, small: 5, large: 3 }));
  await vote(scene, solar, tomas, amounts({ none: 2, small: 4, large: 2 }));
  await vote(
    scene,
    solar,
    meiling,
    amounts({ none: 3, small: 4, large: 1 }),
    'Only if we can fund it without a levy.',
  );
  await vote(
    scene,
    solar,
    nightowl,
    amounts({ none: 0, small: 3, large: 5 }),
    'If we are doing it, let us do it properly.',
  );
  return scene;
}

async function laundry(cast: Cast, groups: DemoGroups): Promise<Scene> {
  const { zoe, priya, nightowl, amara, tomas, meiling } = cast;
  const scene = await startScene({
    group: groups.coop,
    author: zoe,
    title: 'Laundry room rules',
    context:
      'The laundry room keeps coming up at meetings: machines left full overnight, the dryer ' +
      'filter, noise late at night. Let us agree a short list of rules for the door.\n\n' +
      'In the poll you can pick **up to three** rules you would support.',
    span: [30, 9],
  });
  const filter = await say(
    scene,
    priya,
    'Please can rule one be: empty the dryer filter. It is a fire risk.',
  );
  const grumpy = await say(
    scene,
    nightowl,
    'Honestly, whoever keeps leaving wet towels in machine 2 knows who they are.',
  );
  await say(
    scene,
    amara,
    'Yes, and a sign showing where the filter is: not everyone knows.',
    filter,
  );
  await remove(scene, nightowl, grumpy);
  await say(
    scene,
    nightowl,
    'Sorry, that came out grumpier than I meant. I am all for a collect-within-an-hour rule.',
  );
  await say(scene, tomas, 'Quiet hours matter for the flats above the laundry. 10pm to 7am?');
  await react(scene, filter, '🔥', [amara, tomas]);

  const rules = await raise(scene, zoe, {
    kind: 'multiple_choice',
    title: 'Which laundry rules should go on the door?',
    details: 'Choose one to three. The three with the most support go on the sign.',
    options: [
      { id: 'filter', label: 'Empty the dryer filter after every load' },
      { id: 'collect', label: 'Collect your washing within an hour' },
      { id: 'quiet', label: 'No machines between 10pm and 7am' },
      { id: 'booking', label: 'A booking sheet for weekends' },
      { id: 'eco', label: 'Eco detergent only' },
    ],
    settings: { minChoices: 1, maxChoices: 3 },
    closesInDays: 4,
  });
  await vote(scene, rules, zoe, picks('filter', 'collect', 'quiet'));
  await vote(scene, rules, priya, picks('filter', 'quiet'), 'Safety first, then sleep.');
  await vote(
    scene,
    rules,
    amara,
    picks('filter', 'collect', 'booking'),
    'A booking sheet would end the Saturday queue.',
  );
  await vote(scene, rules, tomas, picks('quiet', 'filter'));
  await vote(
    scene,
    rules,
    nightowl,
    picks('collect', 'filter'),
    'These two are the ones that actually cause rows.',
  );
  await vote(scene, rules, meiling, picks('filter', 'collect', 'eco'));
  const closed = await close(scene, rules, zoe);
  await conclude(
    scene,
    closed,
    zoe,
    'The sign carries the three rules with the most support: empty the dryer filter after ' +
      'every load (6 of 6), collect your washing within an hour (4) and no machines between ' +
      '10pm and 7am (3). The booking sheet can come back if the Saturday queue persists.',
  );
  await say(
    scene,
    zoe,
    'The sign is up on the laundry door. Thanks all! I am closing this discussion; start a ' +
      'new one if something else comes up.',
  );
  await closeScene(scene, zoe);
  return scene;
}

/** The co-op's discussions, oldest first. */
export async function coopStory(cast: Cast, groups: DemoGroups): Promise<Scene[]> {
  return [await laundry(cast, groups), await roof(cast, groups)];
}
