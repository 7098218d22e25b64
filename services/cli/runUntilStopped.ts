import type { Logger } from 'pino';

export interface RunUntilStoppedOptions {
  readonly logger: Logger;
  /** `--for <seconds>`: shut down after this long; undefined = until a signal */
  readonly forSeconds?: number;
  /** drains and closes the service; called once, with why */
  readonly shutdown: (why: string) => Promise<void>;
}

/**
 * The life of a long-running service command: runs until SIGINT/SIGTERM or `--for` elapses, then
 * shuts down once and resolves when that has finished. A second signal during the shutdown exits
 * at once (what was not yet acknowledged upstream is redelivered to the next run).
 */
export async function runUntilStopped(o: RunUntilStoppedOptions): Promise<void> {
  let requested = false;
  let request!: (why: string) => void;
  const why = new Promise<string>((resolve) => (request = resolve));
  const stop = (reason: string) => {
    requested = true;
    request(reason);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested) {
      o.logger.warn('second signal: exiting without draining (unacknowledged messages will be redelivered)');
      process.exit(130);
    }
    stop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const forTimer = o.forSeconds === undefined ? undefined : setTimeout(() => stop(`--for ${o.forSeconds}`), o.forSeconds * 1000);
  try {
    const reason = await why;
    clearTimeout(forTimer);
    await o.shutdown(reason);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
