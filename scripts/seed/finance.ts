/**
 * Co-op Finance Committee, the secret subgroup: one discussion with an
 * anonymous single-choice poll (nobody, coordinators included, learns who chose
 * what) and an open proposal without a closing time that requires reasons,
 * which one committee member has yet to vote on.
 */
import { pick, raise, say, startScene, vote, type Scene } from './actions.js';
import type { DemoGroups } from './groups.js';
import type { Cast } from './people.js';

async function reserve(cast: Cast, groups: DemoGroups): Promise<Scene> {
  const { meiling, tomas, zoe } = cast;
  const scene = await startScene({
    group: groups.finance,
    author: meiling,
    title: 'Reserve fund contributions for next year',
    context:
      'After the roof repair the reserve fund will be down to about **9,000 €**, below the ' +
      '15,000 € the auditors recommend. We need to recommend a monthly contribution per ' +
      'household to the general meeting.\n\n' +
      'This is the committee’s working space: nothing here is visible to the rest of the ' +
      'co-op until we bring a recommendation.',
    span: [10, 0.2],
  });
  const sums = await say(
    scene,
    tomas,
    'Twelve households. At 25 € a month we are back at 15,000 € in about two years; 40 € ' +
      'gets us there in just over one.',
  );
  await say(
    scene,
    zoe,
    'Some households are already stretched after the rent review. I would rather go slower ' +
      'than lose people.',
    sums,
  );
  await say(
    scene,
    meiling,
    'Fair. I have made the poll anonymous so nobody has to explain what they can afford; ' +
      '@zoe @tomas the options are per household per month.',
  );

  const amount = await raise(scene, meiling, {
    kind: 'single_choice',
    title: 'What monthly contribution should we recommend?',
    details: 'Anonymous: the results show how many chose each option, never who.',
    options: [
      { id: 'c15', label: '15 € per household' },
      { id: 'c25', label: '25 € per household' },
      { id: 'c40', label: '40 € per household' },
      { id: 'sliding', label: 'A sliding scale by flat size' },
    ],
    closesInDays: 4,
    anonymous: true,
  });
  await vote(scene, amount, tomas, pick('c25'), 'Steady, and we reach the target in two years.');
  await vote(scene, amount, zoe, pick('sliding'), 'Bigger flats, bigger share feels fair.');
  await vote(scene, amount, meiling, pick('c25'));

  const agm = await raise(scene, tomas, {
    kind: 'proposal',
    title: 'Take a reserve-fund recommendation to the May general meeting',
    details:
      'The committee recommends the contribution the poll above settles on, to be reviewed ' +
      'once the roof is paid for. Reasons are required: the general meeting will ask why.',
    closesInDays: null,
    reasonRequired: true,
  });
  await vote(scene, agm, tomas, pick('agree'), 'We cannot keep postponing this.');
  await vote(
    scene,
    agm,
    meiling,
    pick('agree'),
    'The auditors will ask about the reserve level anyway.',
  );
  return scene;
}

/** The committee's discussions. */
export async function financeStory(cast: Cast, groups: DemoGroups): Promise<Scene[]> {
  return [await reserve(cast, groups)];
}
