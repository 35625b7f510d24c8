/**
 * Riverside Community Garden, the open group: a pinned welcome thread, the
 * spring planting plan (a ranked-choice poll closed with an outcome, then an
 * open dot vote) and the work days (an open meeting-time poll and a count poll
 * still short of its threshold). All public, so visitors can read them.
 */
import {
  amounts,
  answers,
  close,
  conclude,
  edit,
  raise,
  ranking,
  react,
  say,
  startScene,
  vote,
  pick,
  type Scene,
} from './actions.js';
import type { DemoGroups } from './groups.js';
import type { Cast } from './people.js';

async function welcome(cast: Cast, groups: DemoGroups): Promise<Scene> {
  const { amara, priya, jonah, nightowl, meiling } = cast;
  const scene = await startScene({
    group: groups.garden,
    author: amara,
    title: 'Welcome! Introduce yourself here',
    context:
      'Hello and welcome to the Riverside Community Garden on Quorum. This is where we plan ' +
      'work days, decide what to plant and share out the harvest.\n\n' +
      '**A few house rules**\n\n' +
      '- Be kind: everybody started as a beginner.\n' +
      '- Decisions happen in proposals and polls, so everyone can weigh in, not just ' +
      'whoever turns up on Saturday.\n' +
      '- Questions about plots go to @amara or @priya.\n\n' +
      'Say hello below: who you are, what you grow, and what you would like to learn.',
    span: [40, 4],
    pinned: true,
  });
  const hello = await say(
    scene,
    jonah,
    'Hi all! Jonah, I live two streets over and have had plot 14 since March. Mostly ' +
      'tomatoes and far too many courgettes. Keen to learn how to compost properly.',
  );
  await say(
    scene,
    priya,
    'Welcome Jonah! The compost bays are my pet project: come and find me on a Saturday.',
    hello,
  );
  const owl = await say(
    scene,
    nightowl,
    "Evening, everyone. I go by Night Owl here. I work nights, so I'm usually the one " +
      'watering at 7am on my way home. Happy to take the early watering shifts.',
  );
  await say(scene, amara, "That's a huge help, thank you! I'll add you to the watering rota.", owl);
  const books = await say(
    scene,
    meiling,
    'Mei-Ling, plot 3. I also keep the garden’s accounts, so ask me anything about the ' +
      'seed budget.',
  );
  await react(scene, hello, '👋', [amara, priya, meiling]);
  await react(scene, owl, '🦉', [jonah, meiling]);
  await react(scene, owl, '❤️', [priya]);
  await react(scene, books, '👍', [amara]);
  return scene;
}

async function planting(cast: Cast, groups: DemoGroups): Promise<Scene> {
  const { amara, priya, jonah, nightowl, meiling } = cast;
  const scene = await startScene({
    group: groups.garden,
    author: priya,
    title: 'Spring planting plan for the north beds',
    context:
      'The north beds get full sun from April and have rested under green manure all ' +
      'winter. We have **four beds** and about **40 €** left in the seed and tools budget.\n\n' +
      "This thread is for deciding what goes in and where the money goes. Last autumn's soil " +
      'test: pH 6.4, low in potassium.',
    span: [21, 2],
  });
  const beans = await say(
    scene,
    amara,
    "Thanks for kicking this off, Priya. Given the low potassium I'd lean towards crops " +
      "that don't mind it much: beans and squash rather than more tomatoes.",
  );
  const tomatoes = await say(
    scene,
    jonah,
    'Could we still do one bed of tomatoes? The kids from the school visit loved them.',
    beans,
  );
  await edit(
    scene,
    jonah,
    tomatoes,
    'Could we still do one bed of tomatoes? The kids from the school visit loved them ' +
      'last year. We could feed them with comfrey for the potassium.',
  );
  const comfrey = await say(
    scene,
    meiling,
    '@jonah if we do tomatoes again, the comfrey patch by the shed is ready to cut. ' +
      'That sorts out the potassium for free.',
    tomatoes,
  );
  const rank = await say(
    scene,
    priya,
    "Let's settle it with a ranked vote so we don't go round in circles. Rank as many as " +
      'you like; the top two get the beds.',
  );
  await react(scene, comfrey, '🌿', [jonah, priya]);
  await react(scene, rank, '👍', [amara, nightowl]);

  const crops = await raise(scene, priya, {
    kind: 'ranked_choice',
    title: 'Which crops should go in the north beds?',
    details: 'Rank the crops you would like, best first. Borda count: the top two win.',
    options: [
      { id: 'beans', label: 'Runner beans' },
      { id: 'squash', label: 'Squash and pumpkins' },
      { id: 'tomatoes', label: 'Tomatoes, fed with comfrey' },
      { id: 'greens', label: 'Salad greens and chard' },
      { id: 'potatoes', label: 'Early potatoes' },
    ],
    closesInDays: 3,
  });
  await vote(
    scene,
    crops,
    amara,
    ranking('beans', 'squash', 'greens'),
    'Beans fix nitrogen and squash shades out the weeds.',
  );
  await vote(
    scene,
    crops,
    jonah,
    ranking('tomatoes', 'beans', 'squash'),
    'The school group is back in June.',
  );
  await vote(
    scene,
    crops,
    meiling,
    ranking('squash', 'beans', 'tomatoes', 'greens'),
    'Squash keeps well for the harvest table.',
  );
  await vote(
    scene,
    crops,
    nightowl,
    ranking('greens', 'beans'),
    'Greens are what people actually pick on weeknights.',
  );
  await vote(scene, crops, priya, ranking('beans', 'squash', 'potatoes'));
  const closed = await close(scene, crops, priya);
  await conclude(
    scene,
    closed,
    priya,
    'Runner beans and squash get the north beds this year. Tomatoes move to the raised bed ' +
      'by the gate, fed with comfrey from the shed patch as Mei-Ling suggested. Sowing starts ' +
      'at the next work day.',
  );
  await say(scene, amara, "Everyone's voted, so Priya closed it early. I'll order the bean seed.");

  const budget = await raise(scene, amara, {
    kind: 'dot_vote',
    title: 'How should we spend the rest of the budget?',
    details: 'Ten dots each: put them where you think the money does the most good.',
    options: [
      { id: 'seed', label: 'Bean and squash seed' },
      { id: 'gloves', label: 'Gloves and hand tools for volunteers' },
      { id: 'hose', label: 'A second hose for the far beds' },
      { id: 'signs', label: 'Plant labels and signs for visitors' },
    ],
    settings: { dotsPerPerson: 10 },
    closesInDays: 6,
  });
  await vote(scene, budget, amara, amounts({ seed: 5, hose: 3, gloves: 2 }));
  await vote(
    scene,
    budget,
    jonah,
    amounts({ gloves: 4, signs: 6 }),
    'The school visitors keep asking what everything is.',
  );
  await vote(scene, budget, priya, amounts({ seed: 4, hose: 6 }));
  await vote(
    scene,
    budget,
    nightowl,
    amounts({ hose: 10 }),
    'Dragging the one hose to the far beds at 7am is my least favourite job.',
  );
  return scene;
}

/**
 * A time `days` away from the first Saturday at least six days ahead, at
 * `hour`:`minute` UTC: every proposed time is still ahead when the poll closes.
 */
function workDay(days: number, hour: number, minute = 0): string {
  const date = new Date();
  const untilSaturday = (6 - date.getUTCDay() + 7) % 7;
  date.setUTCHours(hour, minute, 0, 0);
  date.setUTCDate(date.getUTCDate() + untilSaturday + (untilSaturday < 6 ? 7 : 0) + days);
  return date.toISOString();
}

async function workDays(cast: Cast, groups: DemoGroups): Promise<Scene> {
  const { amara, priya, jonah, nightowl, meiling } = cast;
  const scene = await startScene({
    group: groups.garden,
    author: amara,
    title: 'Saturday work days and the compost build',
    context:
      'Two things to sort out for the next work day:\n\n' +
      '1. **When.** Saturday mornings clash with the market for some of you, so let us find ' +
      'the time that suits most people.\n' +
      '2. **The new compost bays.** Priya has the pallets; we need at least four people for ' +
      'a day to build them.\n\nVote below, and bring gloves!',
    span: [6, 0.1],
  });
  const when = await raise(scene, amara, {
    kind: 'meeting_time',
    title: 'When should the next work day be?',
    details: 'Answer for every time: yes, if need be, or no.',
    options: [
      { id: 'wed', label: 'Wednesday evening', startsAt: workDay(-3, 17, 30) },
      { id: 'sat_am', label: 'Saturday morning', startsAt: workDay(0, 9) },
      { id: 'sat_pm', label: 'Saturday afternoon', startsAt: workDay(0, 14) },
      { id: 'sun_am', label: 'Sunday morning', startsAt: workDay(1, 10) },
    ],
    closesInDays: 2,
  });
  const coaching = await say(
    scene,
    jonah,
    'Saturday afternoons are tricky for me in May (football coaching), but mornings are fine.',
  );
  await vote(
    scene,
    when,
    jonah,
    answers({ wed: 'yes', sat_am: 'yes', sat_pm: 'no', sun_am: 'if_need_be' }),
  );
  await say(
    scene,
    nightowl,
    'Sunday morning is perfect after my last night shift of the week, for what it is worth.',
    coaching,
  );
  await vote(
    scene,
    when,
    nightowl,
    answers({ wed: 'no', sat_am: 'if_need_be', sat_pm: 'yes', sun_am: 'yes' }),
    'Wednesday evenings I am at work.',
  );
  await vote(
    scene,
    when,
    priya,
    answers({ wed: 'if_need_be', sat_am: 'yes', sat_pm: 'yes', sun_am: 'yes' }),
  );
  await vote(
    scene,
    when,
    meiling,
    answers({ wed: 'yes', sat_am: 'no', sat_pm: 'if_need_be', sun_am: 'yes' }),
    'Saturday mornings I run the market stall.',
  );

  const build = await raise(scene, priya, {
    kind: 'count',
    title: 'Compost bay build: who is in?',
    details: 'If at least four of us commit, we build the bays on the work day. Bring a drill!',
    settings: { threshold: 4 },
    closesInDays: 4,
  });
  const drill = await say(
    scene,
    priya,
    'Pallets are stacked behind the shed. @nightowl if you bring your drill we can get it ' +
      'done in half the time.',
  );
  await vote(scene, build, priya, pick('commit'));
  await vote(scene, build, nightowl, pick('commit'), 'Drill is charged.');
  await say(scene, nightowl, 'Drill is charged 🔋 Count me in.', drill);
  await vote(scene, build, jonah, pick('commit'), 'As long as it is the morning!');
  await react(scene, drill, '💪', [jonah, amara]);
  return scene;
}

/** The garden's discussions, oldest first. */
export async function gardenStory(cast: Cast, groups: DemoGroups): Promise<Scene[]> {
  return [await welcome(cast, groups), await planting(cast, groups), await workDays(cast, groups)];
}
