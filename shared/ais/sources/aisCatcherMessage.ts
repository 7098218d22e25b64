/**
 * AIS-catcher's JSON as published over MQTT: gpsd-style decoded fields plus `nmea` (the raw
 * sentences), `rxtime` (UTC, YYYYMMDDHHMMSS), `rxuxtime` (unix seconds), `channel`, `signalpower`,
 * `ppm`, `station_id`. driftline decodes `nmea` itself, so every feed is validated the same way,
 * and takes the receiver time and station from beside it.
 */
export interface AisCatcherEnvelope {
  readonly nmea: readonly string[];
  /** receiver time, epoch ms, or null when neither rxuxtime nor rxtime is usable */
  readonly receivedAt: number | null;
  readonly station: string | null;
}

export type AisCatcherParse = { readonly envelope: AisCatcherEnvelope } | { readonly error: string };

/** `YYYYMMDDHHMMSS` (UTC) -> epoch ms, or null. */
export function parseRxTime(rxtime: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(rxtime);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  // reject 20261340... instead of letting Date roll it over into another day
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  return ms;
}

export function parseAisCatcherJson(text: string): AisCatcherParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `AIS-catcher payload is not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'AIS-catcher payload is not a JSON object' };
  }
  const json = value as Record<string, unknown>;
  const nmea = typeof json.nmea === 'string' ? [json.nmea] : json.nmea;
  if (!Array.isArray(nmea) || nmea.length === 0 || !nmea.every((s) => typeof s === 'string')) {
    return {
      error:
        'AIS-catcher message has no "nmea" array of sentences: driftline decodes the raw sentences itself, so keep NMEA in AIS-catcher\'s JSON output (it is there by default)',
    };
  }
  let receivedAt: number | null = null;
  if (typeof json.rxuxtime === 'number' && Number.isFinite(json.rxuxtime) && json.rxuxtime > 0) receivedAt = Math.round(json.rxuxtime * 1000);
  else if (typeof json.rxtime === 'string') receivedAt = parseRxTime(json.rxtime);
  const station = typeof json.station_id === 'string' || typeof json.station_id === 'number' ? String(json.station_id) : null;
  return { envelope: { nmea: nmea as string[], receivedAt, station } };
}
