/** The fishing-gear model's name and the window the stream cuts tracks into (recorded in its manifest). */
export const FISHING_MODEL_NAME = 'fishing-gear';
/** tumbling 24 h event-time windows: one day holds whole fishing cycles (a longline set–soak–haul, a trawler's tows) */
export const FISHING_WINDOW_MS = 24 * 3_600_000;
