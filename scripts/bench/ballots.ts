/**
 * Scenario `ballots`: what each vote costs in reading its poll's ballots.
 * Why: the reply to a vote and the tally every view sees count the poll's
 * ballots, read whole once per vote (commands/polls/counted-ballots.ts), so a
 * vote's cost grows with the number of votes before it, and a poll's total
 * with their square (issue 11: a vote at the size of a real meeting). The
 * read is the app's own (`find({pollId}, {choices, announcedAt})` over the
 * `pollId` index) at each size N; the baseline, in the same run, is a read of
 * one ballot by `_id`, what a vote would pay if its tally came from memory.
 */
import { ObjectId, type Db } from 'mongodb';
import { rowFromSummary, summarize, timed, type ResultRow } from './stats.js';

const REPEATS = 50;

export async function runBallots(db: Db, mode: string, sizes: number[]): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const votes = db.collection('bench_votes');
  await votes.drop().catch(() => undefined);
  await votes.createIndex({ pollId: 1, userId: 1 }, { unique: true });
  for (const n of sizes) {
    const pollId = new ObjectId();
    const ids = Array.from({ length: n }, () => new ObjectId());
    await votes.insertMany(
      ids.map((_id, i) => ({
        _id,
        pollId,
        userId: new ObjectId(),
        choices: [{ optionId: i % 3 === 0 ? 'disagree' : 'agree', value: 1 }],
        reason: i % 5 === 0 ? 'As I said in the meeting: the budget needs a second look.' : '',
        announcedAt: new Date(),
        createdAt: new Date(),
        updatedAt: new Date(),
      })),
    );
    const shapes: Array<[string, () => Promise<unknown>]> = [
      [
        `every ballot of a poll of ${n.toLocaleString('en-US')}`,
        () => votes.find({ pollId }, { projection: { choices: 1, announcedAt: 1 } }).toArray(),
      ],
      [
        `one ballot by _id (baseline) beside ${n.toLocaleString('en-US')}`,
        () => votes.findOne({ _id: ids[n >> 1] }),
      ],
    ];
    for (const [name, op] of shapes) {
      const summary = summarize(await timed(REPEATS, op, 5));
      rows.push(
        rowFromSummary(mode, name, 1000 / summary.mean, summary, `${REPEATS} reads`, {
          size: n,
        }),
      );
    }
  }
  await votes.drop();
  return rows;
}
