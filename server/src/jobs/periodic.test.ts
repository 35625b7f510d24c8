import { expect } from 'chai';
import { startPeriodicJob } from './periodic.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('periodic jobs', () => {
  it('works at once, then again after each round, never two rounds at a time, until stopped', async () => {
    let rounds = 0;
    let inRound = 0;
    let overlapped = false;
    const job = startPeriodicJob({
      name: 'test',
      intervalMs: 5,
      work: async () => {
        overlapped ||= inRound > 0;
        inRound++;
        rounds++;
        await pause(10);
        inRound--;
        return null;
      },
    });
    while (rounds < 3) await pause(5);
    await job.stop();
    const stoppedAt = rounds;
    await pause(30);
    expect(rounds).to.equal(stoppedAt);
    expect(overlapped).to.equal(false);
  });

  it('retries a failed round; with untilSuccess, stops after the first success', async () => {
    let calls = 0;
    const job = startPeriodicJob({
      name: 'test',
      intervalMs: 5,
      untilSuccess: true,
      work: () =>
        ++calls < 3 ? Promise.reject(new Error('mail server down')) : Promise.resolve(null),
    });
    while (calls < 3) await pause(5);
    await pause(30);
    expect(calls).to.equal(3);
    await job.stop();
  });
});
