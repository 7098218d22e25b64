/**
 * Event time of a position fix. AIS position reports carry only the UTC second of the fix; the
 * receiver (or arrival) time fixes the minute. The fix is taken as the latest instant with that
 * second at most FUTURE_SLACK_MS after the receiver time, so a fix sent at :59 and received at :01
 * lands in the previous minute. Seconds 60-63 mean "not available" and keep the receiver time.
 */
const MINUTE_MS = 60_000;
/** receiver clocks may lag the vessel's GPS time a little */
const FUTURE_SLACK_MS = 5_000;

export function fixTime(receivedAt: number, second: number): number {
  if (!(second >= 0 && second <= 59)) return receivedAt;
  let candidate = receivedAt - (((receivedAt % MINUTE_MS) + MINUTE_MS) % MINUTE_MS) + second * 1000;
  if (candidate > receivedAt + FUTURE_SLACK_MS) candidate -= MINUTE_MS;
  else if (candidate <= receivedAt + FUTURE_SLACK_MS - MINUTE_MS) candidate += MINUTE_MS;
  return candidate;
}
