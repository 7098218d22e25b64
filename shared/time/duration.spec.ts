import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('accepts unit strings and integer milliseconds', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('2w')).toBe(1_209_600_000);
    expect(parseDuration(' 10s ')).toBe(10_000);
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(1234)).toBe(1234);
  });

  it('rejects negative, unitless, fractional-ms and malformed input with a hint', () => {
    expect(() => parseDuration('-5m')).toThrow(/negative/);
    expect(() => parseDuration(-1)).toThrow(/negative/);
    expect(() => parseDuration('300')).toThrow(/no unit.*300ms/);
    expect(() => parseDuration('5 minutes')).toThrow(DurationError);
    expect(() => parseDuration('5x')).toThrow(/ms, s, m, h, d, w/);
    expect(() => parseDuration('0.5ms')).toThrow(/whole number/);
    expect(() => parseDuration(1.5)).toThrow(/whole number/);
    expect(() => parseDuration(Number.NaN)).toThrow(DurationError);
    expect(() => parseDuration(null)).toThrow(/got object/);
  });
});

describe('formatDuration', () => {
  it('prints the largest exact unit', () => {
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1_500)).toBe('1500ms');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(86_400_000)).toBe('1d');
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 1000, 61_000, 7_200_000, 172_800_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
