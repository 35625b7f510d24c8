import { expect } from 'chai';
import { zonedTime, zoneName } from './zoned-time.js';

describe('times in the reader’s time zone', () => {
  const now = Date.parse('2025-12-01T12:00:00Z');

  it('names the day, the time and the zone', () => {
    const paris = { locale: 'en-GB', timeZone: 'Europe/Paris' };
    expect(zonedTime('2025-12-09T17:00:00Z', paris, now)).to.equal('Tue 9 Dec, 18:00 CET');
    const york = { locale: 'en-US', timeZone: 'America/New_York' };
    expect(zonedTime('2025-12-09T17:00:00Z', york, now)).to.equal('Tue, Dec 9, 12:00 PM EST');
  });

  it('adds the year when it is not this year’s', () => {
    expect(zonedTime('2026-01-02T08:30:00Z', { locale: 'en-GB', timeZone: 'UTC' }, now)).to.equal(
      'Fri, 2 Jan 2026, 08:30 UTC',
    );
  });

  it('names the zone datetime fields are read in', () => {
    expect(zoneName({ locale: 'en-GB', timeZone: 'Europe/Paris' }, now)).to.equal(
      'Europe/Paris (CET)',
    );
    expect(zoneName({ locale: 'en-GB', timeZone: 'UTC' }, now)).to.equal('UTC');
  });
});
