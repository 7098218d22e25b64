import { describe, expect, it } from 'vitest';
import { haversineMetres, initialBearingDeg, normaliseDeg, normaliseLon, signedAngleDiffDeg } from './greatCircle.js';

describe('greatCircle', () => {
  it('measures one minute of latitude as about one nautical mile', () => {
    expect(haversineMetres(10, 20, 10 + 1 / 60, 20)).toBeCloseTo(1853, -1);
    expect(haversineMetres(0, 179.99, 0, -179.99)).toBeCloseTo(2224, -1); // across the antimeridian
  });
  it('gives compass bearings', () => {
    expect(initialBearingDeg(0, 0, 1, 0)).toBeCloseTo(0, 6);
    expect(initialBearingDeg(0, 0, 0, 1)).toBeCloseTo(90, 6);
    expect(initialBearingDeg(0, 0, -1, 0)).toBeCloseTo(180, 6);
    expect(initialBearingDeg(0, 0, 0, -1)).toBeCloseTo(270, 6);
    expect(initialBearingDeg(5, 5, 5, 5)).toBe(0);
  });
  it('wraps angles and longitudes', () => {
    expect(normaliseDeg(-10)).toBe(350);
    expect(normaliseDeg(720)).toBe(0);
    expect(signedAngleDiffDeg(350, 10)).toBe(20);
    expect(signedAngleDiffDeg(10, 350)).toBe(-20);
    expect(signedAngleDiffDeg(0, 180)).toBe(180);
    expect(normaliseLon(181)).toBe(-179);
    expect(normaliseLon(-181)).toBe(179);
  });
});
