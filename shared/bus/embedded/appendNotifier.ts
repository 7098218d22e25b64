import { EventEmitter } from 'node:events';
import { BroadcastChannel } from 'node:worker_threads';

/**
 * Wakes consumers waiting in `poll` when a producer in the same process commits to the same log
 * file, so in-process delivery does not wait for the next poll tick. That includes producers in
 * other worker threads (the pipeline runs its MQTT ingest in one): a BroadcastChannel per file
 * carries the news between threads. Appends by other processes are found by polling the file (see
 * EmbeddedConsumer). Keyed by absolute file path, so separate bus objects opened on one file in one
 * process wake each other too.
 */
const emitters = new Map<string, EventEmitter>();
const channels = new Map<string, BroadcastChannel>();

/** This thread's end of the file's channel; it hears the other threads' appends (never its own posts). */
function channelFor(file: string): BroadcastChannel {
  let channel = channels.get(file);
  if (!channel) {
    channel = new BroadcastChannel(`driftline-bus-append:${file}`);
    const wake = () => emitters.get(file)?.emit('append');
    channel.onmessage = wake;
    // listening must not keep a process alive that has nothing else to do
    channel.unref();
    channels.set(file, channel);
  }
  return channel;
}

function emitterFor(file: string): EventEmitter {
  let emitter = emitters.get(file);
  if (!emitter) {
    emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    emitters.set(file, emitter);
    channelFor(file);
  }
  return emitter;
}

/**
 * Other threads hear of appends at most once a millisecond per file: a BroadcastChannel message costs
 * about as much CPU as appending a small batch, and a consumer that wakes polls everything appended
 * since anyway. A notice that falls inside the interval is sent at its end, so none is lost.
 */
const CROSS_THREAD_INTERVAL_MS = 1;
const lastPosted = new Map<string, number>();
const postPending = new Set<string>();

function postAppend(file: string): void {
  if (postPending.has(file)) return;
  const post = () => {
    postPending.delete(file);
    lastPosted.set(file, performance.now());
    channelFor(file).postMessage(0);
  };
  const wait = (lastPosted.get(file) ?? -Infinity) + CROSS_THREAD_INTERVAL_MS - performance.now();
  if (wait <= 0) return post();
  postPending.add(file);
  setTimeout(post, wait);
}

export function notifyAppend(file: string): void {
  emitters.get(file)?.emit('append');
  postAppend(file);
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
