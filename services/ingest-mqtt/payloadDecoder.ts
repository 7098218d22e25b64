import { isUtf8 } from 'node:buffer';
import type { z } from 'zod';
import { messageSchemas } from '../../shared/config/messageSchemas.js';
import type { DeadLetterReason } from '../../shared/deadLetters/deadLetter.js';
import type { Route, TopicRouter } from './topicRouter.js';

export type Decoded =
  | { readonly ok: true; readonly route: Route; readonly event: Record<string, unknown> }
  | { readonly ok: false; readonly reason: DeadLetterReason; readonly detail: string; readonly stream: string | null };

/** Range checks on values of the right type: the value is impossible, not malformed. */
const RANGE_CODES = new Set(['too_big', 'too_small']);

function issuePath(path: readonly PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : '(payload)';
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${issuePath(i.path)}: ${i.message}`).join('; ');
}

/**
 * Topic + payload → a validated event for its stream, or the dead-letter reason. Pure, so it can be
 * tested exhaustively and never throws on any input.
 */
export function decodeMessage(router: TopicRouter, topic: string, payload: Uint8Array): Decoded {
  const route = router.route(topic);
  if (!route) return { ok: false, reason: 'unknown_topic', detail: `no stream's topic pattern matches "${topic}"`, stream: null };
  const stream = route.stream;

  // isUtf8 + toString is several times faster than a fatal TextDecoder on the hot path.
  if (!isUtf8(payload)) return { ok: false, reason: 'bad_json', detail: 'payload is not valid UTF-8', stream };
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'bad_json', detail: (err as Error).message, stream };
  }

  const result = messageSchemas[route.config.schema].schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues;
    const reason: DeadLetterReason = issues.every((i) => RANGE_CODES.has(i.code)) ? 'impossible_value' : 'schema_violation';
    return { ok: false, reason, detail: describeIssues(issues), stream };
  }

  const event = result.data as Record<string, unknown>;
  const id = event[route.config.key_field];
  if (String(id) !== route.key) {
    return {
      ok: false,
      reason: 'identity_mismatch',
      detail: `topic carries ${route.config.key_field} "${route.key}" but the payload says ${JSON.stringify(id)}`,
      stream,
    };
  }
  return { ok: true, route, event };
}
