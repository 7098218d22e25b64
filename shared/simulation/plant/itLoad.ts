import type { Random } from '../random.js';
import { localClock } from './localClock.js';
import { OrnsteinUhlenbeck } from './ornsteinUhlenbeck.js';
import type { ItLoadConfig } from './plantConfig.js';

export interface ItLoad {
  readonly serverKw: number;
  readonly networkRoomKw: number;
}

const DAY_MS = 86_400_000;

/** Server and network-room load of one hall: daily and weekly cycles, growth, random swings. */
export class ItLoadProcess {
  private readonly anomaly: OrnsteinUhlenbeck;
  private readonly network: OrnsteinUhlenbeck;

  constructor(
    private readonly config: ItLoadConfig,
    private readonly designItKw: number,
    private readonly utcOffsetHours: number,
    /** growth is counted from here (1 January of the simulation's first year), so a given instant has
     * the same load level whichever day a run starts on */
    private readonly growthEpochMs: number,
    random: Random,
  ) {
    this.anomaly = new OrnsteinUhlenbeck(random.fork('load'), config.noiseSigma, 3 * 3600);
    this.network = new OrnsteinUhlenbeck(random.fork('network'), 0.01, 86_400);
  }

  step(tMs: number, dtS: number): ItLoad {
    const c = this.config;
    const clock = localClock(tMs, this.utcOffsetHours);
    const daily = 1 + c.diurnalAmplitude * Math.cos((2 * Math.PI * (clock.hour - c.peakLocalHour)) / 24);
    const weekend = clock.weekday === 0 || clock.weekday === 6 ? 1 - c.weekendDip : 1;
    // racks arrive through the first year, then the hall is full: a long-running stream stays bounded
    const growth = 1 + c.growthPerYear * Math.min(1, Math.max(0, tMs - this.growthEpochMs) / (365 * DAY_MS));
    const utilisation = c.baseUtilisation * daily * weekend * growth * (1 + this.anomaly.step(dtS));
    return {
      serverKw: this.designItKw * Math.min(0.97, Math.max(0.15, utilisation)),
      networkRoomKw: this.designItKw * c.networkRoomFraction * (1 + this.network.step(dtS)),
    };
  }
}
