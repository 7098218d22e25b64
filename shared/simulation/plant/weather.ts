import type { Random } from '../random.js';
import { localClock } from './localClock.js';
import { OrnsteinUhlenbeck } from './ornsteinUhlenbeck.js';
import type { ClimateConfig } from './plantConfig.js';
import { moistAirEnthalpyKjKg, relativeHumidityPct, wetBulbStullC } from './psychrometrics.js';

export interface OutsideAir {
  readonly dryBulbC: number;
  readonly relativeHumidityPct: number;
  readonly wetBulbC: number;
  readonly enthalpyKjKg: number;
  readonly windSpeedMS: number;
  /** direction the wind blows from, [0, 360) */
  readonly windDirectionDeg: number;
}

const DAY_S = 86_400;
const YEAR_DAYS = 365.25;

/**
 * Outside air at one site: deterministic seasonal and daily cycles plus mean-reverting anomalies for
 * passing weather systems (days), gusts of temperature (an hour), humidity and wind.
 */
export class WeatherProcess {
  private readonly synoptic: OrnsteinUhlenbeck;
  private readonly fast: OrnsteinUhlenbeck;
  private readonly dew: OrnsteinUhlenbeck;
  private readonly windLog: OrnsteinUhlenbeck;
  private readonly windVeer: OrnsteinUhlenbeck;

  constructor(
    private readonly climate: ClimateConfig,
    private readonly utcOffsetHours: number,
    private readonly random: Random,
  ) {
    this.synoptic = new OrnsteinUhlenbeck(random.fork('synoptic'), climate.synopticSigmaK, 3 * DAY_S);
    this.fast = new OrnsteinUhlenbeck(random.fork('fast'), 0.4, 3600);
    this.dew = new OrnsteinUhlenbeck(random.fork('dew'), climate.dewPointSigmaK, 2 * DAY_S);
    this.windLog = new OrnsteinUhlenbeck(random.fork('wind'), 0.45, 8 * 3600);
    this.windVeer = new OrnsteinUhlenbeck(random.fork('veer'), 45, 18 * 3600);
  }

  /** advance the anomalies by `dtS` seconds and return the true outside air at `tMs` */
  step(tMs: number, dtS: number): OutsideAir {
    const c = this.climate;
    const clock = localClock(tMs, this.utcOffsetHours);
    const season = Math.cos((2 * Math.PI * (clock.dayOfYear - c.warmestDayOfYear)) / YEAR_DAYS);
    // the warmest hour of the day is mid-afternoon; summer days swing more than winter days
    const daily = Math.cos((2 * Math.PI * (clock.hour - 15)) / 24);
    const synoptic = this.synoptic.step(dtS);
    const dryBulbC =
      c.meanDryBulbC + c.seasonalAmplitudeK * season + c.diurnalAmplitudeK * (1 + 0.3 * season) * daily + synoptic + this.fast.step(dtS);
    // warm fronts bring moist air: the dew-point anomaly partly follows the temperature anomaly
    const dewC = Math.min(
      dryBulbC - 0.2,
      c.meanDewPointC + c.seasonalDewPointAmplitudeK * season + 0.3 * synoptic + this.dew.step(dtS),
    );
    const rh = relativeHumidityPct(dryBulbC, dewC);
    // log-normal speed with unit mean factor, stronger in the afternoon when the boundary layer mixes
    const windSpeedMS = Math.max(0, c.meanWindMS * Math.exp(this.windLog.step(dtS) - 0.45 ** 2 / 2) * (1 + 0.25 * daily) * Math.exp(this.random.normal(0, 0.1)));
    const direction = c.prevailingWindDeg + this.windVeer.step(dtS) + this.random.normal(0, 8);
    return {
      dryBulbC,
      relativeHumidityPct: rh,
      wetBulbC: wetBulbStullC(dryBulbC, rh),
      enthalpyKjKg: moistAirEnthalpyKjKg(dryBulbC, rh),
      windSpeedMS,
      windDirectionDeg: ((direction % 360) + 360) % 360,
    };
  }
}
