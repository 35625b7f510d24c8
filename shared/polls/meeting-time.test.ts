import { expect } from 'chai';
import { parseStartsAt } from './meeting-time.js';

describe('parseStartsAt', () => {
  it('reads UTC and offset times as the same instant', () => {
    const utc = Date.UTC(2025, 2, 1, 10, 0);
    expect(parseStartsAt('2025-03-01T10:00:00Z')).to.equal(utc);
    expect(parseStartsAt('2025-03-01T10:00Z')).to.equal(utc);
    expect(parseStartsAt('2025-03-01T11:30:00+01:30')).to.equal(utc);
    expect(parseStartsAt('2025-02-28T23:00:00-11:00')).to.equal(utc);
    expect(parseStartsAt('2025-03-01T10:00:00.250Z')).to.equal(utc + 250);
    expect(parseStartsAt('2025-03-01T10:00:00.123456789Z')).to.equal(utc + 123);
  });

  it('knows leap years', () => {
    expect(parseStartsAt('2024-02-29T10:00Z')).to.equal(Date.UTC(2024, 1, 29, 10));
    expect(parseStartsAt('2000-02-29T10:00Z')).to.equal(Date.UTC(2000, 1, 29, 10));
    expect(parseStartsAt('2023-02-29T10:00Z')).to.equal(null);
    expect(parseStartsAt('1900-02-29T10:00Z')).to.equal(null);
  });

  it('reads years below 100 as themselves', () => {
    expect(new Date(parseStartsAt('0050-01-01T00:00Z') ?? 0).getUTCFullYear()).to.equal(50);
  });

  it('refuses impossible or zoneless times', () => {
    for (const bad of [
      '2025-03-01T10:00:00',
      '2025-03-01',
      '2025-13-01T10:00Z',
      '2025-04-31T10:00Z',
      '2025-00-10T10:00Z',
      '2025-03-00T10:00Z',
      '2025-03-01T24:00Z',
      '2025-03-01T10:60Z',
      '2025-03-01T10:00:60Z',
      '2025-03-01T10:00+24:00',
      '2025-03-01T10:00+01:60',
      '2025-03-01 10:00Z',
      '2025-03-01t10:00z',
      ' 2025-03-01T10:00Z',
      '',
    ]) {
      expect(parseStartsAt(bad), bad).to.equal(null);
    }
  });
});
