import type { AisReception, AisReject } from '../../shared/ais/aisDecoder.js';
import type { AisHandlers, AisPositionEvent, AisVesselEvent } from '../../shared/ais/aisIngest.js';

/** AisHandlers that keep everything, plus a way to wait until enough has arrived. */
export class CollectingHandlers implements AisHandlers {
  readonly positions: AisPositionEvent[] = [];
  readonly vessels: AisVesselEvent[] = [];
  readonly messages: AisReception[] = [];
  readonly rejects: AisReject[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  onPosition = (e: AisPositionEvent) => this.add(this.positions, e);
  onVessel = (e: AisVesselEvent) => this.add(this.vessels, e);
  onMessage = (r: AisReception) => this.add(this.messages, r);
  onReject = (r: AisReject) => this.add(this.rejects, r);

  /** Resolves when `check` holds; rejects after `timeoutMs` with what was collected so far. */
  until(check: (h: this) => boolean, timeoutMs = 10_000): Promise<void> {
    if (check(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out: ${this.messages.length} messages, ${this.positions.length} positions, ${this.rejects.length} rejects`));
      }, timeoutMs);
      this.waiters.push({
        check: () => check(this),
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  private add<T>(list: T[], item: T): void {
    list.push(item);
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }
}
