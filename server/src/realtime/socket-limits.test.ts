import { expect } from 'chai';
import { DEFAULT_SOCKET_LIMITS, SocketGuard } from './socket-limits.js';

describe('socket limits: who is slowed down and who is disconnected', () => {
  it('never treats a client that waits as told as a flooder, however long it keeps going', () => {
    let clock = 0;
    const guard = new SocketGuard(DEFAULT_SOCKET_LIMITS, () => clock);
    let refused = 0;
    for (let sent = 0; sent < 500;) {
      const admission = guard.admit('group:watch');
      if (admission.admitted) {
        guard.done(admission.counted);
        sent++;
        continue;
      }
      refused++;
      expect(admission.flooding, `refusal ${refused}`).to.equal(false);
      clock += admission.retryAfterMs;
    }
    // Paced at 10 tokens a second and 2 a watch, it was refused often, and never kicked.
    expect(refused).to.be.greaterThan(DEFAULT_SOCKET_LIMITS.strikes.burst * 10);
  });

  it('disconnects a client that keeps sending before its retry time', () => {
    let clock = 0;
    const guard = new SocketGuard(DEFAULT_SOCKET_LIMITS, () => clock);
    let flooding = false;
    let events = 0;
    while (!flooding && events < 1000) {
      events++;
      clock += 1;
      const admission = guard.admit('discussion:watch');
      if (admission.admitted) guard.done(admission.counted);
      else flooding = admission.flooding;
    }
    expect(flooding).to.equal(true);
    // The burst, then the tolerated strikes (the first refusal only sets the retry time).
    expect(events).to.be.below(
      DEFAULT_SOCKET_LIMITS.burst / 2 + DEFAULT_SOCKET_LIMITS.strikes.burst + 5,
    );
  });

  it('paces a collaborative editor by its own rates, outside the in-flight cap', () => {
    const clock = 0;
    const guard = new SocketGuard(DEFAULT_SOCKET_LIMITS, () => clock);
    const burst = DEFAULT_SOCKET_LIMITS.perEvent['collab:sync']!.burst;
    // Updates wait for their durable write: many may be unanswered at once.
    for (let i = 0; i < burst; i++)
      expect(guard.admit('collab:sync'), `update ${i}`).to.deep.equal({
        admitted: true,
        counted: false,
      });
    expect(guard.admit('collab:sync')).to.have.property('admitted', false);
    // Other events still have their shared allowance and in-flight room.
    expect(guard.admit('discussion:watch')).to.deep.equal({ admitted: true, counted: true });
  });
});
