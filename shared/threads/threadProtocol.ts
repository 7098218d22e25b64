/**
 * What a service running in a worker thread (the MQTT ingest, the feature worker of `driftline run`)
 * and the thread that started it say to each other: requests answered by id, events the thread
 * sends on its own, and the start and stop handshakes. Everything is structured-cloneable.
 */
export type ToServiceThread =
  | { readonly type: 'request'; readonly id: number; readonly name: string; readonly args?: unknown }
  | { readonly type: 'stop'; readonly args?: unknown };

export type FromServiceThread =
  | { readonly type: 'started'; readonly value: unknown }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'reply'; readonly id: number; readonly value: unknown }
  | { readonly type: 'replyError'; readonly id: number; readonly message: string }
  | { readonly type: 'event'; readonly name: string; readonly value: unknown }
  | { readonly type: 'stopped' };
