import { describe, expect, it } from 'vitest';
import { fixTime } from './fixTime.js';

const t = (h: number, m: number, s: number, ms = 0) => Date.UTC(2026, 10, 29, h, m, s, ms);

describe('fixTime', () => {
  it('puts the fix at its UTC second within the minute of reception', () => {
    expect(fixTime(t(12, 0, 3, 500), 2)).toBe(t(12, 0, 2));
    expect(fixTime(t(12, 0, 3, 500), 3)).toBe(t(12, 0, 3));
  });
  it('takes a second just after midnight/minute rollover from the previous minute', () => {
    expect(fixTime(t(12, 0, 1), 59)).toBe(t(11, 59, 59));
    expect(fixTime(t(0, 0, 0, 200), 58)).toBe(t(23, 59, 58) - 86_400_000);
  });
  it('allows a receiver clock a few seconds behind the vessel', () => {
    expect(fixTime(t(12, 0, 3), 7)).toBe(t(12, 0, 7));
    expect(fixTime(t(12, 0, 58), 1)).toBe(t(12, 1, 1));
  });
  it('keeps the receiver time when the second is not available (60) or a mode (61-63)', () => {
    for (const s of [60, 61, 62, 63]) expect(fixTime(t(12, 0, 3, 250), s)).toBe(t(12, 0, 3, 250));
  });
  it('always lands within 55 s before to 5 s after reception', () => {
    for (let rx = t(12, 0, 0); rx < t(12, 2, 0); rx += 977) {
      for (let s = 0; s < 60; s++) {
        const f = fixTime(rx, s);
        expect(f - rx).toBeGreaterThan(-55_000);
        expect(f - rx).toBeLessThanOrEqual(5_000);
        expect(new Date(f).getUTCSeconds()).toBe(s);
        expect(f % 1000).toBe(0);
      }
    }
  });
});
