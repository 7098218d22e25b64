import { fleetTelemetryStream } from '../../shared/simulation/plant/plantSimulator.js';
import { simulatedPlants } from '../../shared/simulation/plant/fleet.js';
import { streamFleet } from '../../shared/simulation/vessels/fleet.js';

/** One message a simulated device publishes: when (simulated processing time), where, what. */
export interface DeviceMessage {
  readonly at: number;
  readonly topic: string;
  readonly payload: string;
}

export interface DeviceFleetOptions {
  readonly seed: number;
  readonly vessels: number;
  readonly plants: number;
  /** simulated event time of the first message, epoch ms */
  readonly start: number;
  /** simulated span; endless when undefined */
  readonly hours?: number;
  /** MQTT topic of a vessel's positions / a plant's telemetry */
  readonly vesselTopic: (mmsi: string) => string;
  readonly plantTopic: (plantId: string) => string;
}

/** Vessels simulate a finite span even when "endless": a year is more than any demo runs. */
const ENDLESS_HOURS = 24 * 365;

/**
 * Every message of the simulated fleet (vessel AIS positions and plant telemetry) merged in
 * delivery order, lazily. Vessel deliveries carry AIS reality (late, duplicated, out of order);
 * plants publish on time every 5 minutes.
 */
export function* deviceMessages(o: DeviceFleetOptions): Generator<DeviceMessage> {
  const end = o.hours === undefined ? Infinity : o.start + o.hours * 3_600_000;
  const vessels = o.vessels > 0 ? streamFleet({ seed: o.seed, vessels: o.vessels, hours: o.hours ?? ENDLESS_HOURS, start: o.start }).positions[Symbol.iterator]() : undefined;
  const plants = o.plants > 0 ? fleetTelemetryStream(simulatedPlants(o.plants), { seed: o.seed, start: o.start }) : undefined;

  let nextVessel = vessels?.next();
  let nextPlant = plants?.next();
  const plantAt = () => {
    const t = nextPlant!.value.timestamp;
    return typeof t === 'number' ? t * 1000 : Date.parse(t);
  };
  for (;;) {
    const v = nextVessel && !nextVessel.done ? nextVessel.value : undefined;
    const p = nextPlant && !nextPlant.done && plantAt() < end ? nextPlant.value : undefined;
    if (!v && !p) return;
    if (v && (!p || v.deliveredAt <= plantAt())) {
      yield { at: v.deliveredAt, topic: o.vesselTopic(v.position.mmsi), payload: JSON.stringify(v.position) };
      nextVessel = vessels!.next();
    } else {
      yield { at: plantAt(), topic: o.plantTopic(p!.plant_id), payload: JSON.stringify(p) };
      nextPlant = plants!.next();
    }
  }
}
