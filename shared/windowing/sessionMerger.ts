import { COUNT, DIRTY, EARLY, FIRST, LAST, META, MINOFF, PANE_STEP, PART, STATE, type WindowStore } from './windowStore.js';

/**
 * Folds session window `from` into `into` when an event's proto-window [t, t + gap) bridges them.
 * Bounds, phase and timers are the engine's business; this merges what the windows hold:
 * counts, event-time range, aggregation state, needed offsets, pane index (the merged window
 * continues after the furthest-along constituent) and the earliest pending EARLY timer.
 */
export function mergeSessionState<T>(store: WindowStore<T>, into: number, from: number): void {
  const f = store.f;
  const stride = store.stride;
  const a = store.aggs;
  const bi = into * stride;
  const bf = from * stride;
  f[bi + COUNT]! += f[bf + COUNT]!;
  if (f[bf + FIRST]! < f[bi + FIRST]!) f[bi + FIRST] = f[bf + FIRST]!;
  if (f[bf + LAST]! > f[bi + LAST]!) f[bi + LAST] = f[bf + LAST]!;
  const si = f[bi + STATE]!;
  const sf = f[bf + STATE]!;
  const pane = Math.max(si >>> 3, sf >>> 3);
  f[bi + STATE] = pane * PANE_STEP + ((si | (sf & DIRTY)) & 7);
  const early = f[bf + EARLY]!;
  if (!Number.isNaN(early) && !(f[bi + EARLY]! <= early)) f[bi + EARLY] = early;
  for (let i = 0; i < a.slab.length; i++) a.slab[i]!.merge(f, bi + META + a.slabOffsets[i]!, bf + META + a.slabOffsets[i]!);
  for (let j = 0; j < a.objects.length; j++) a.objects[j]!.merge(store.objects[j]![into], store.objects[j]![from]);
  store.noteOffset(into, f[bf + PART]!, f[bf + MINOFF]!);
  const extra = store.extraOffsets.get(from);
  if (extra !== undefined) for (const [p, o] of extra) store.noteOffset(into, p, o);
}
