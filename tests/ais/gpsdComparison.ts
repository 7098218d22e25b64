import { degreesFromTenthMinutes } from '../../shared/ais/messages/scaling.js';

/**
 * gpsd 3.22's JSON for a message with its documented differences from driftline's output undone,
 * so tests can compare field by field (see aisMessage.ts and the README's AIS section).
 */
export function expectedFromGpsd(scaled: Record<string, unknown>, unscaled: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(scaled)) {
    if (k === 'device' || k.endsWith('_text')) continue;
    out[k] = v;
  }
  // gpsd 3.22 prints the magnitude only for a left turn; ITU-R M.1371 gives it a negative sign
  const rawTurn = unscaled.turn as number;
  if (typeof out.turn === 'number' && rawTurn < 0 && out.turn !== 0) out.turn = -out.turn;
  // gpsd 3.22 prints words for class A speed 102.3 (not available) and 102.2 (102.2 knots or more)
  if (out.speed === 'nan') out.speed = 102.3;
  if (out.speed === 'fast') out.speed = 102.2;
  if (out.type === 24 && out.part === undefined) {
    // gpsd merges part B with a cached part A of the same MMSI (even with -s); driftline reports parts
    const { shipname: _name, ...partB } = out;
    return { ...Object.fromEntries(Object.entries(partB).slice(0, 5)), part: 'B', ...Object.fromEntries(Object.entries(partB).slice(5)) };
  }
  if (out.type === 27) {
    out.status = unscaled.status;
    out.lon = degreesFromTenthMinutes(unscaled.lon as number);
    out.lat = degreesFromTenthMinutes(unscaled.lat as number);
  }
  return out;
}

/** driftline's decoded message minus its documented extras, for comparison with expectedFromGpsd. */
export function comparableToGpsd(message: object, expected: Record<string, unknown>): Record<string, unknown> {
  const actual: Record<string, unknown> = { ...message };
  if (actual.type === 18 || actual.type === 21) delete actual.assigned;
  if (actual.type === 24 && actual.part === 'B') {
    // driftline's vendorid is the 3-character manufacturer id that gpsd's 7 characters start with
    if (typeof expected.vendorid === 'string' && expected.vendorid.startsWith(String(actual.vendorid))) {
      actual.vendorid = expected.vendorid;
    }
  }
  return actual;
}
