/**
 * Distances and bearings on a spherical Earth. The sphere is accurate to ~0.5% against WGS-84, far
 * inside AIS position noise, and keeps feature code cheap enough to run per point in a stream.
 */

/** mean Earth radius (IUGG), metres */
export const EARTH_RADIUS_M = 6_371_008.8;
/** metres per nautical mile (by definition) */
export const METRES_PER_NM = 1852;
/** metres per second in one knot */
export const MS_PER_KNOT = METRES_PER_NM / 3600;

const RAD = Math.PI / 180;

/** great-circle distance in metres (haversine; stable for the short hops between AIS fixes) */
export function haversineMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s = Math.sin(dLat / 2);
  const t = Math.sin(dLon / 2);
  const a = s * s + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * t * t;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** initial bearing from point 1 to point 2, degrees in [0, 360); 0 when the points coincide */
export function initialBearingDeg(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const y = Math.sin(dLon) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dLon);
  if (x === 0 && y === 0) return 0;
  return normaliseDeg(Math.atan2(y, x) / RAD);
}

/** angle in [0, 360) */
export function normaliseDeg(deg: number): number {
  const d = deg % 360;
  return d < 0 ? d + 360 : d;
}

/** smallest signed difference b − a, in (−180, 180] */
export function signedAngleDiffDeg(a: number, b: number): number {
  let d = (b - a) % 360;
  if (d <= -180) d += 360;
  else if (d > 180) d -= 360;
  return d;
}

/** longitude in [−180, 180) */
export function normaliseLon(lon: number): number {
  const l = (lon + 180) % 360;
  return (l < 0 ? l + 360 : l) - 180;
}
