import type { MqttClient } from 'mqtt';
import type { DeviceMessage } from './deviceMessages.js';

export interface PublishOptions {
  readonly client: MqttClient;
  readonly messages: Iterable<DeviceMessage>;
  /** simulated seconds per real second */
  readonly speed: number;
  /** never publish a message before its simulated time has come on the wall clock (live mode) */
  readonly notBeforeWallClock: boolean;
  readonly qos: 0 | 1;
  /** QoS 1 publishes awaiting PUBACK at most */
  readonly maxInFlight?: number;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (published: number) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes the fleet's messages paced by simulated time: message m goes out `(m.at - first.at) / speed`
 * real milliseconds after the first, and in live mode not before the wall clock reaches m.at, so a
 * backfill runs fast and then continues in real time without publishing the future.
 * Resolves with the number of messages the broker acknowledged (QoS 1) or sent (QoS 0).
 */
export async function publishPaced(o: PublishOptions): Promise<number> {
  const now = o.now ?? Date.now;
  const maxInFlight = o.maxInFlight ?? 1000;
  const inFlight = new Set<Promise<unknown>>();
  let published = 0;
  let failure: Error | undefined;
  let t0 = 0;
  let simStart = 0;
  let first = true;
  for (const m of o.messages) {
    if (o.signal?.aborted || failure) break;
    if (first) {
      t0 = now();
      simStart = m.at;
      first = false;
    }
    const due = Math.max(t0 + (m.at - simStart) / o.speed, o.notBeforeWallClock ? m.at : 0);
    // Sleep in slices of at most a second so an abort is noticed promptly.
    while (!o.signal?.aborted && due - now() > 5) await sleep(Math.min(due - now(), 1000));
    if (o.signal?.aborted) break;
    const p = o.client.publishAsync(m.topic, m.payload, { qos: o.qos }).then(
      () => {
        published++;
        o.onProgress?.(published);
      },
      (err: Error) => {
        failure ??= err;
      },
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw new Error(`simulator: publishing failed after ${published} messages: ${failure.message}`);
  return published;
}
