import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Where prediction lines go; resolves when the destination can take more (stdout backpressure). */
export type LineSink = (chunk: string) => Promise<void>;

export function streamSink(stream: Writable): LineSink {
  return async (chunk) => {
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
}

/** Collects output in memory, for tests and for callers that post-process lines. */
export function memorySink(): { sink: LineSink; lines: () => string[] } {
  let text = '';
  return {
    sink: async (chunk) => {
      text += chunk;
    },
    lines: () => text.split('\n').filter((l) => l !== ''),
  };
}
