import { z } from 'zod';

/**
 * Event time as devices send it: ISO 8601 text or unix seconds (AIS receivers and many loggers use
 * the latter). Normalised to epoch milliseconds so the windowing engine sees one representation.
 */
export const eventTime = z
  .union([
    z.number().finite().describe('unix seconds'),
    z.iso.datetime({ offset: true }).describe('ISO 8601 date-time'),
  ])
  .transform((v) => (typeof v === 'number' ? Math.round(v * 1000) : parseIsoDateTime(v)));

/** The digit at `i` of `s` (0-9), or NaN for any other character. */
function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
}

const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * `Date.parse` of an ISO 8601 date-time, with the form devices and `toISOString` send most,
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, read directly (the general parser costs about twice as much per
 * message). Anything else, and years below 100 (which Date.UTC would take for 19xx), go to
 * `Date.parse`. eventTime.spec checks both give the same number.
 */
export function parseIsoDateTime(s: string): number {
  if (s.length === 24 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 84 && s.charCodeAt(13) === 58
    && s.charCodeAt(16) === 58 && s.charCodeAt(19) === 46 && s.charCodeAt(23) === 90) { // - - T : : . Z
    const year = two(s, 0) * 100 + two(s, 2);
    const month = two(s, 5);
    const day = two(s, 8);
    const hour = two(s, 11);
    const minute = two(s, 14);
    const second = two(s, 17);
    const ms = digit(s, 20) * 100 + two(s, 21);
    // ranges as the datetime pattern allows them (day against the month too), so the result is
    // Date.parse's; a non-digit made its field NaN, which fails every test
    if (year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour >= 0 && hour <= 23
      && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && ms >= 0) {
      return Date.UTC(year, month - 1, day, hour, minute, second, ms);
    }
  }
  return Date.parse(s);
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
