/**
 * What the engine counts, for metrics. Every event given to process() ends in exactly one of:
 * eventsAccepted, duplicatesSkipped, lateRouted, futureRouted, invalidRouted.
 */
export interface WindowCounters {
  eventsIn: number;
  /** added to at least one window */
  eventsAccepted: number;
  /** offset at or below the partition's processed position (a replay after restore) */
  duplicatesSkipped: number;
  lateRouted: number;
  futureRouted: number;
  invalidRouted: number;
  panesEarly: number;
  panesOnTime: number;
  panesLate: number;
  finalPanes: number;
  windowsOpened: number;
  /** windows holding state now */
  openWindows: number;
}

export function zeroCounters(): WindowCounters {
  return {
    eventsIn: 0,
    eventsAccepted: 0,
    duplicatesSkipped: 0,
    lateRouted: 0,
    futureRouted: 0,
    invalidRouted: 0,
    panesEarly: 0,
    panesOnTime: 0,
    panesLate: 0,
    finalPanes: 0,
    windowsOpened: 0,
    openWindows: 0,
  };
}
