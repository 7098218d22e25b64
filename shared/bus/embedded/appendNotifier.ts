import { EventEmitter } from 'node:events';

/**
 * Wakes consumers waiting in `poll` when a producer in the same process commits to the same log
 * file, so in-process delivery does not wait for the next poll tick. Appends by other processes are
 * found by polling the file (see EmbeddedConsumer). Keyed by absolute file path, so separate bus
 * objects opened on one file in one process wake each other too.
 */
const emitters = new Map<string, EventEmitter>();

function emitterFor(file: string): EventEmitter {
  let emitter = emitters.get(file);
  if (!emitter) {
    emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    emitters.set(file, emitter);
  }
  return emitter;
}

export function notifyAppend(file: string): void {
  emitters.get(file)?.emit('append');
}

/** Resolves on the next local append to `file`, or after `ms`, or when `signal` aborts, whichever comes first. */
export function waitForAppend(file: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const emitter = emitterFor(file);
    const done = (): void => {
      clearTimeout(timer);
      emitter.off('append', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    emitter.once('append', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
