const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/** Where a plant's local clock and calendar stand at an event time. */
export interface LocalClock {
  /** fractional hour of the local day, [0, 24) */
  readonly hour: number;
  /** fractional day of the local year, starting at 0 on 1 January */
  readonly dayOfYear: number;
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number;
}

export function localClock(tMs: number, utcOffsetHours: number): LocalClock {
  const local = tMs + utcOffsetHours * MS_PER_HOUR;
  const dayStart = Math.floor(local / MS_PER_DAY) * MS_PER_DAY;
  const date = new Date(dayStart);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return {
    hour: (local - dayStart) / MS_PER_HOUR,
    dayOfYear: (local - yearStart) / MS_PER_DAY,
    weekday: date.getUTCDay(),
  };
}
