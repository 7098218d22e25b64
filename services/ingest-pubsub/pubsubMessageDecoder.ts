import type { StreamConfig } from '../../shared/config/streamSchema.js';
import type { DeadLetterReason } from '../../shared/deadLetters/deadLetter.js';
import { decodeMessage } from '../ingest-mqtt/payloadDecoder.js';
import { TopicRouter, type Route } from '../ingest-mqtt/topicRouter.js';

export type PubSubDecoded =
  | { readonly ok: true; readonly key: string; readonly event: Record<string, unknown> }
  | { readonly ok: false; readonly reason: DeadLetterReason; readonly detail: string };

/**
 * A router for one subscription: every message belongs to its stream, and the "topic" it is asked
 * about is the key the message claims. This lets the MQTT ingest's decoder (UTF-8, JSON, schema,
 * impossible values, identity) run unchanged on Pub/Sub messages, which carry no topic per device.
 */
class ClaimRouter extends TopicRouter {
  constructor(private readonly stream: string, private readonly config: StreamConfig) {
    super({});
  }

  override route(claimedKey: string): Route {
    return { stream: this.stream, config: this.config, key: claimedKey };
  }
}

/** The payload's key field as the decoder will compare it, or undefined when it cannot be read. */
function payloadKey(payload: Uint8Array, keyField: string): string | undefined {
  try {
    const json: unknown = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
    const id = (json as Record<string, unknown>)[keyField];
    return id === undefined || id === null ? undefined : String(id);
  } catch {
    return undefined;
  }
}

/**
 * Decodes the messages of one subscription into events of one stream. With an identity attribute
 * (Cloud IoT Core's `deviceId`) the message claims that device, and a payload naming another is an
 * `identity_mismatch`; without one the payload's own key field is the key.
 */
export class PubSubMessageDecoder {
  private readonly router: ClaimRouter;

  constructor(readonly stream: string, private readonly config: StreamConfig, private readonly identityAttribute: string) {
    this.router = new ClaimRouter(stream, config);
  }

  /** Never throws; `attributes` are the Pub/Sub message's. */
  decode(payload: Uint8Array, attributes: Readonly<Record<string, string>>): PubSubDecoded {
    const claimed = Object.hasOwn(attributes, this.identityAttribute) ? attributes[this.identityAttribute] : undefined;
    // Without a claim the payload is read twice (once here for its key): simpler than a second decoder.
    const key = claimed ?? payloadKey(payload, this.config.key_field) ?? '';
    const decoded = decodeMessage(this.router, key, payload);
    if (decoded.ok) return { ok: true, key: decoded.route.key, event: decoded.event };
    if (decoded.reason === 'identity_mismatch') {
      if (claimed === undefined) {
        // only when validation changed the key field's value (today's schemas keep it verbatim)
        return { ok: false, reason: 'schema_violation', detail: `${this.config.key_field}: the stream's key could not be read from the payload` };
      }
      const said = payloadKey(payload, this.config.key_field);
      return {
        ok: false, reason: 'identity_mismatch',
        detail: `attribute ${this.identityAttribute} is "${claimed}" but the payload's ${this.config.key_field} is ${said === undefined ? 'missing' : JSON.stringify(said)}`,
      };
    }
    return { ok: false, reason: decoded.reason, detail: decoded.detail };
  }
}
