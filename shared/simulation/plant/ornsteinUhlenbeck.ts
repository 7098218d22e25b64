import type { Random } from '../random.js';

/**
 * A mean-reverting random anomaly (Ornstein–Uhlenbeck process), stepped exactly rather than by Euler:
 * x(t+dt) = x(t)·e^(−dt/τ) + σ·√(1 − e^(−2dt/τ))·N(0,1). Its stationary spread is σ whatever the step,
 * so weather fronts and load swings keep their size if the sample period changes.
 */
export class OrnsteinUhlenbeck {
  private x: number;

  constructor(
    private readonly random: Random,
    /** stationary standard deviation */
    readonly sigma: number,
    /** correlation time, seconds */
    readonly tauS: number,
  ) {
    // start in the stationary distribution so the first simulated day is not special
    this.x = random.normal(0, sigma);
  }

  get value(): number {
    return this.x;
  }

  step(dtS: number): number {
    const decay = Math.exp(-dtS / this.tauS);
    this.x = this.x * decay + this.sigma * Math.sqrt(1 - decay * decay) * this.random.normal();
    return this.x;
  }
}
