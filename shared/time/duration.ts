/**
 * Durations as operators write them in driftline.yaml: a string such as "30s", "5m", "24h", "1d",
 * "250ms" or "1h30m", or an integer number of milliseconds. Everything internal is integer ms.
 */
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

export class DurationError extends Error {
  override readonly name = 'DurationError';
}

/**
 * Parses a duration to integer milliseconds. Throws a DurationError whose message says what is
 * accepted; callers (the config schemas) prefix it with the field path.
 */
export function parseDuration(input: unknown): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new DurationError(`${String(input)} is not a duration; use integer milliseconds or a string like "30s"`);
    if (input < 0) throw new DurationError(`negative duration ${input}; durations must be >= 0`);
    if (!Number.isInteger(input)) throw new DurationError(`${input} is not a whole number of milliseconds; use an integer or a string like "1.5s"`);
    if (input > Number.MAX_SAFE_INTEGER) throw new DurationError(`${input} ms is too large`);
    return input;
  }
  if (typeof input !== 'string') {
    throw new DurationError(`expected a duration such as "30s", "5m", "24h", "1d" or integer milliseconds, got ${typeof input}`);
  }
  const text = input.trim();
  if (text.startsWith('-')) throw new DurationError(`negative duration "${input}"; durations must be >= 0`);
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    throw new DurationError(`"${input}" has no unit; write "${text}ms" or "${text}s" (or a bare integer for milliseconds)`);
  }
  if (!WHOLE.test(text)) {
    throw new DurationError(`"${input}" is not a duration; use a number and unit (ms, s, m, h, d, w), e.g. "30s", "5m", "1h30m"`);
  }
  let total = 0;
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  // Decimal parts like "1.5s" are fine; anything finer than a millisecond is not.
  const rounded = Math.round(total);
  if (Math.abs(total - rounded) > 1e-6) throw new DurationError(`"${input}" is not a whole number of milliseconds`);
  if (rounded > Number.MAX_SAFE_INTEGER) throw new DurationError(`"${input}" is too large`);
  return rounded;
}

/** Shortest exact unit form for messages: 90000 -> "90s", 3600000 -> "1h", 1500 -> "1500ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  for (const [unit, size] of [['w', UNIT_MS.w!], ['d', UNIT_MS.d!], ['h', UNIT_MS.h!], ['m', UNIT_MS.m!], ['s', UNIT_MS.s!]] as const) {
    if (abs % size === 0) return `${sign}${abs / size}${unit}`;
  }
  return `${sign}${abs}ms`;
}
