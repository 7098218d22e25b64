import { FragmentAssembler, type AssembledMessage, type FragmentDrop } from './fragmentAssembler.js';
import type { AisMessage } from './messages/aisMessage.js';
import { decodePayload } from './messages/messageDecoder.js';
import { parseNmeaLine } from './nmeaSentence.js';

/** A decoded AIS message with what is known about its reception. */
export interface AisReception {
  readonly message: AisMessage;
  /** the sentences that carried it, as received */
  readonly nmea: readonly string[];
  readonly channel: string;
  /** feed the message came from (e.g. `tcp:host:port`) */
  readonly source: string;
  /** receiving station: tag block `s:` or AIS-catcher `station_id` */
  readonly station: string | null;
  /** epoch ms: receiver time (tag block `c:` / AIS-catcher `rxuxtime`) when known, else arrival time */
  readonly receivedAt: number;
  readonly receivedAtFrom: 'receiver' | 'arrival';
  /** input line of the last sentence (1-based; 0 when the source has no lines) */
  readonly line: number;
}

/** A sentence that could not be decoded: it becomes a dead letter. */
export interface AisReject {
  readonly sentence: string;
  readonly reason: string;
  readonly line: number;
  readonly source: string;
  /** arrival time, epoch ms */
  readonly receivedAt: number;
}

export interface AisDecoderStats {
  lines: number;
  /** AIVDM/AIVDO sentences that parsed */
  sentences: number;
  /** decoded messages per AIS message type */
  decoded: Record<number, number>;
  /** valid messages of types not decoded (6, 7, 8, 9, ...), per type: counted, not errors */
  unsupported: Record<number, number>;
  /** other NMEA sentences ($GPRMC, $PGHP, ...) passed over, per sentence id */
  otherSentences: Record<string, number>;
  rejected: number;
}

/** Receiver metadata a source knows out of band (AIS-catcher JSON carries it beside the NMEA). */
export interface LineContext {
  readonly line?: number;
  /** arrival (processing) time, epoch ms; defaults to the decoder's clock */
  readonly arrivedAt?: number;
  /** receiver time, epoch ms, when the source provides it; a tag block `c:` still wins */
  readonly receivedAt?: number | null;
  readonly station?: string | null;
  /** sub-feed the line came from (e.g. a UDP sender): fragments only join within one origin */
  readonly origin?: string;
}

export interface AisDecoderOptions {
  /** feed name used in fragment keys and reports, default `nmea` */
  readonly source?: string;
  readonly onMessage: (reception: AisReception) => void;
  readonly onReject: (reject: AisReject) => void;
  /** how long fragment 1 waits for the rest, default 10 s */
  readonly maxFragmentAgeMs?: number;
  readonly maxPendingMessages?: number;
  readonly clock?: () => number;
}

/**
 * The stateful NMEA -> AIS decoder one feed needs: line parsing, checksum and tag blocks, fragment
 * reassembly and payload decoding. Every line ends as a decoded message, a counted skip, or one
 * reject per sentence with a reason; nothing throws to the caller.
 */
export class AisDecoder {
  readonly stats: AisDecoderStats = { lines: 0, sentences: 0, decoded: {}, unsupported: {}, otherSentences: {}, rejected: 0 };
  readonly source: string;
  private readonly assembler: FragmentAssembler;
  private readonly onMessage: (reception: AisReception) => void;
  private readonly onReject: (reject: AisReject) => void;
  private readonly clock: () => number;

  constructor(options: AisDecoderOptions) {
    this.source = options.source ?? 'nmea';
    this.onMessage = options.onMessage;
    this.onReject = options.onReject;
    this.clock = options.clock ?? Date.now;
    this.assembler = new FragmentAssembler({
      maxAgeMs: options.maxFragmentAgeMs,
      maxPending: options.maxPendingMessages,
      onDrop: (drop) => this.rejectFragments(drop),
    });
  }

  /** Number of multi-sentence messages waiting for more fragments. */
  get pendingMessages(): number {
    return this.assembler.pendingCount;
  }

  pushLine(text: string, context: LineContext = {}): void {
    const stats = this.stats;
    stats.lines++;
    const line = context.line ?? 0;
    const arrivedAt = context.arrivedAt ?? this.clock();
    const parsed = parseNmeaLine(text);
    if (parsed.kind === 'error') {
      this.reject(text.trim(), parsed.reason, line, arrivedAt);
      return;
    }
    if (parsed.kind !== 'vdm') {
      if (parsed.kind === 'other') stats.otherSentences[parsed.sentenceId] = (stats.otherSentences[parsed.sentenceId] ?? 0) + 1;
      return;
    }
    stats.sentences++;
    // out-of-band context of the completing sentence applies: AIS-catcher gives one context per message
    const feed = context.origin === undefined ? this.source : `${this.source}|${context.origin}`;
    const assembled = this.assembler.push(parsed, feed, arrivedAt, line);
    if (assembled) this.decode(assembled, context, arrivedAt, line);
  }

  /** Reports (as rejects) multi-sentence messages that waited longer than the fragment age. */
  expire(now: number = this.clock()): void {
    this.assembler.expire(now);
  }

  /** End of input: reports every incomplete multi-sentence message. */
  flush(): void {
    this.assembler.flush();
  }

  private decode(assembled: AssembledMessage, context: LineContext, arrivedAt: number, line: number): void {
    const result = decodePayload(assembled.payload, assembled.fillBits);
    const stats = this.stats;
    if (result.kind === 'decoded') {
      const type = result.message.type;
      stats.decoded[type] = (stats.decoded[type] ?? 0) + 1;
      const tag = assembled.tagBlock;
      const receiverTime = tag?.receivedAt ?? context.receivedAt ?? null;
      const fragments = assembled.fragments;
      this.onMessage({
        message: result.message,
        nmea: fragments.length === 1 ? [fragments[0].sentence.raw] : fragments.map((f) => f.sentence.raw),
        channel: assembled.channel,
        source: this.source,
        station: tag?.station ?? context.station ?? null,
        receivedAt: receiverTime ?? assembled.arrivedAt,
        receivedAtFrom: receiverTime === null ? 'arrival' : 'receiver',
        line,
      });
      return;
    }
    if (result.kind === 'unsupported') {
      stats.unsupported[result.type] = (stats.unsupported[result.type] ?? 0) + 1;
      return;
    }
    for (const f of assembled.fragments) this.reject(f.sentence.raw, result.reason, f.line, arrivedAt);
  }

  private rejectFragments(drop: FragmentDrop): void {
    const now = this.clock();
    for (const f of drop.fragments) this.reject(f.sentence.raw, drop.reason, f.line, now);
  }

  private reject(sentence: string, reason: string, line: number, receivedAt: number): void {
    this.stats.rejected++;
    this.onReject({ sentence, reason, line, source: this.source, receivedAt });
  }
}
