import { AisDecoder, type AisReception, type AisReject, type LineContext } from './aisDecoder.js';
import { toVesselPosition, type VesselPositionMessage } from './vesselPositionMapping.js';
import { type VesselRecord, VesselRegistry } from './vesselRecord.js';

export interface AisPositionEvent {
  /** MMSI, the key of the vessel-track stream */
  readonly key: string;
  readonly position: VesselPositionMessage;
  readonly reception: AisReception;
}

export interface AisVesselEvent {
  readonly key: string;
  /** the vessel's merged record after this static report */
  readonly vessel: VesselRecord;
  readonly reception: AisReception;
}

/**
 * What an AIS source hands to the pipeline. A handler that throws does not stop the feed: the
 * line being decoded is reported to onReject with the error as its reason.
 */
export interface AisHandlers {
  onPosition?(event: AisPositionEvent): void;
  onVessel?(event: AisVesselEvent): void;
  /** every decoded message, positions and static reports included (for raw archives, the CLI) */
  onMessage?(reception: AisReception): void;
  /** sentences that failed, and position reports with impossible values: dead letters */
  onReject(reject: AisReject): void;
}

export interface AisIngestStats {
  positions: number;
  /** position reports whose position is "not available" */
  positionsUnavailable: number;
  vesselUpdates: number;
}

export interface AisIngestOptions {
  readonly source: string;
  readonly maxFragmentAgeMs?: number;
  readonly clock?: () => number;
  readonly registry?: VesselRegistry;
}

/**
 * One feed's AIS ingest: decoder, mapping to vessel positions keyed by MMSI, and the per-vessel
 * static record. Sources push raw lines (or lines with out-of-band receiver metadata) into it.
 */
export class AisIngest {
  readonly decoder: AisDecoder;
  readonly registry: VesselRegistry;
  readonly stats: AisIngestStats = { positions: 0, positionsUnavailable: 0, vesselUpdates: 0 };

  constructor(
    private readonly handlers: AisHandlers,
    options: AisIngestOptions,
  ) {
    this.registry = options.registry ?? new VesselRegistry();
    this.decoder = new AisDecoder({
      source: options.source,
      maxFragmentAgeMs: options.maxFragmentAgeMs,
      clock: options.clock,
      onMessage: (reception) => this.route(reception),
      onReject: (reject) => handlers.onReject(reject),
    });
  }

  pushLine(line: string, context?: LineContext): void {
    try {
      this.decoder.pushLine(line, context);
    } catch (error) {
      // a failing handler (or a decoder bug) must not kill the feed; the line becomes a dead letter
      this.decoder.stats.rejected++;
      this.handlers.onReject({
        sentence: line.trim(),
        reason: `error while handling the decoded line: ${error instanceof Error ? error.message : String(error)}`,
        line: context?.line ?? 0,
        source: this.decoder.source,
        receivedAt: context?.arrivedAt ?? Date.now(),
      });
    }
  }

  expire(now?: number): void {
    this.decoder.expire(now);
  }

  flush(): void {
    this.decoder.flush();
  }

  private route(reception: AisReception): void {
    this.handlers.onMessage?.(reception);
    const mapped = toVesselPosition(reception);
    switch (mapped.kind) {
      case 'position':
        this.stats.positions++;
        this.handlers.onPosition?.({ key: mapped.key, position: mapped.value, reception });
        break;
      case 'unavailable':
        this.stats.positionsUnavailable++;
        break;
      case 'impossible':
        this.decoder.stats.rejected++;
        for (const sentence of reception.nmea) {
          this.handlers.onReject({ sentence, reason: mapped.reason, line: reception.line, source: reception.source, receivedAt: reception.receivedAt });
        }
        break;
      case 'not-position':
        break;
    }
    // types 5, 19 and 24 carry static data (19 besides its position)
    const vessel = this.registry.apply(reception);
    if (vessel) {
      this.stats.vesselUpdates++;
      this.handlers.onVessel?.({ key: vessel.mmsi, vessel, reception });
    }
  }
}
