import type { Logger } from 'pino';
import type { StopRequest } from './stopRequest.js';

export interface RunUntilStoppedOptions {
  /** listening since the command started (see listenForStop); disposed when this returns */
  readonly stop: StopRequest;
  /** `--for <seconds>`: shut down after this long; undefined = until a signal */
  readonly forSeconds?: number;
  /** drains and closes the service; called once, with why */
  readonly shutdown: (why: string) => Promise<void>;
}

/**
 * The life of a long-running service command: runs until SIGINT/SIGTERM or `--for` elapses, then
 * shuts down once and resolves when that has finished. A signal that came during start-up stops it
 * as soon as it gets here; a second signal during the shutdown exits at once.
 */
export async function runUntilStopped(o: RunUntilStoppedOptions): Promise<void> {
  const forTimer = o.forSeconds === undefined ? undefined : setTimeout(() => o.stop.request(`--for ${o.forSeconds}`), o.forSeconds * 1000);
  try {
    const reason = await o.stop.requested;
    clearTimeout(forTimer);
    await o.shutdown(reason);
  } finally {
    o.stop.dispose();
  }
}

export interface ServiceRunOptions<S> {
  readonly logger: Logger;
  readonly stop: StopRequest;
  readonly forSeconds?: number;
  /** how the logs name the service ("ingest", "Pub/Sub ingest", ...) */
  readonly name: string;
  /** log `stats()` this often */
  readonly statsEverySeconds: number;
  readonly stats: () => S;
  /** what shutdown closes, in this order: the service first, then what it used */
  readonly close: readonly (() => Promise<void>)[];
  /** the JSON summary printed as the last stdout line */
  readonly summary: (stats: S) => Record<string, number>;
}

/**
 * A started service command until it is stopped (see runUntilStopped): stats on stderr every few
 * seconds; on shutdown it drains by closing in order, logs the final stats and prints the summary.
 */
export async function runService<S extends object>(o: ServiceRunOptions<S>): Promise<void> {
  const { logger } = o;
  const statsTimer = setInterval(() => logger.info(o.stats() as object, `${o.name} stats`), o.statsEverySeconds * 1000);
  await runUntilStopped({
    stop: o.stop,
    ...(o.forSeconds !== undefined ? { forSeconds: o.forSeconds } : {}),
    shutdown: async (why) => {
      logger.info({ why }, 'draining');
      clearInterval(statsTimer);
      for (const close of o.close) await close();
      const s = o.stats();
      logger.info(s as object, `${o.name} stopped`);
      process.stdout.write(`${JSON.stringify(o.summary(s))}\n`);
    },
  });
}

/** Dead letters by reason, summed. */
export function totalOf(byReason: Readonly<Record<string, number | undefined>>): number {
  return Object.values(byReason).reduce<number>((a, b) => a + (b ?? 0), 0);
}
