import { describe, expect, it } from 'vitest';
import { STANDARD, WATER_CP_KJ_KG_K } from './equipment.js';
import { FLEET, fleetPlant } from './fleet.js';
import { installedEquipment, type PlantConfig } from './plantConfig.js';
import { INITIAL_PLANT_STATE, solveOperatingPoint, type OperatingPoint } from './plantModel.js';
import { moistAirEnthalpyKjKg, wetBulbStullC } from './psychrometrics.js';
import { towerSetpointFor } from './setpointController.js';
import type { OutsideAir } from './weather.js';

function air(dryBulbC: number, rh: number, windSpeedMS = 3, windDirectionDeg = 0): OutsideAir {
  return { dryBulbC, relativeHumidityPct: rh, wetBulbC: wetBulbStullC(dryBulbC, rh), enthalpyKjKg: moistAirEnthalpyKjKg(dryBulbC, rh), windSpeedMS, windDirectionDeg };
}

/** steady state from a cold start, with the tower setpoint the controller would choose */
function solve(plant: PlantConfig, itFraction: number, a: OutsideAir): OperatingPoint {
  const c = plant.control;
  const towerSetpointC = towerSetpointFor(c, a.wetBulbC, c.towerApproachOffsetK, c.supplySetpointC);
  return solveOperatingPoint(plant, installedEquipment(plant), INITIAL_PLANT_STATE, {
    serverKw: itFraction * plant.designItKw,
    networkRoomKw: plant.load.networkRoomFraction * plant.designItKw,
    air: a,
    supplySetpointC: c.supplySetpointC,
    towerSetpointC,
  });
}

describe('plant physics', () => {
  it('PUE is above 1 and plausible, and equals total facility power over IT power', () => {
    for (const plant of FLEET) {
      for (const t of [-15, 0, 10, 20, 30, 40]) {
        for (const rh of [20, 60, 90]) {
          for (const u of [0.3, 0.6, 0.9]) {
            const p = solve(plant, u, air(t, rh));
            expect(p.pue).toBeGreaterThan(1.02);
            expect(p.pue).toBeLessThan(1.6);
            const total = Object.values(p.power).reduce((s, v) => s + v, 0);
            expect(p.pue).toBeCloseTo(total / p.power.it, 10);
            expect(p.coolingKw).toBeGreaterThan(0);
          }
        }
      }
    }
  });

  it('cooling power rises with the outside wet bulb at a fixed IT load', () => {
    for (const plant of [fleetPlant('hall-desert'), fleetPlant('hall-continental'), fleetPlant('hall-tropical')]) {
      // 45% RH, dry bulb 14 → 38 °C: wet bulb ≈ 8 → 28 °C; above the drycooler switch
      const points = [14, 18, 22, 26, 30, 34, 38].map((t) => solve(plant, 0.7, air(t, 45)));
      for (let i = 1; i < points.length; i++) {
        expect(points[i].coolingKw).toBeGreaterThanOrEqual(points[i - 1].coolingKw * 0.995);
      }
      expect(points[points.length - 1].coolingKw).toBeGreaterThan(points[0].coolingKw * 1.2);
    }
  });

  it('cooling power rises with IT load at fixed weather', () => {
    for (const plant of FLEET) {
      for (const a of [air(5, 70), air(25, 50), air(33, 70)]) {
        const points = [0.3, 0.45, 0.6, 0.75, 0.9].map((u) => solve(plant, u, a));
        for (let i = 1; i < points.length; i++) expect(points[i].coolingKw).toBeGreaterThan(points[i - 1].coolingKw);
      }
    }
  });

  it('pumps follow the affinity laws: flow ∝ speed, power ∝ speed³', () => {
    const plant = fleetPlant('hall-continental');
    const pump = STANDARD.processWaterPump;
    const a = air(15, 60);
    // two loads that run the same number of pumps (3 at 0.7 and 0.75 of design)
    const p1 = solve(plant, 0.7, a);
    const p2 = solve(plant, 0.75, a);
    expect(p2.state.processWaterPumps).toBe(p1.state.processWaterPumps);
    for (const p of [p1, p2]) {
      // constant-ΔT control: the pumps move exactly the flow the heat needs
      const flow = p.state.processWaterPumps * p.processWaterPumpSpeed * pump.ratedFlowKgS;
      expect(flow * WATER_CP_KJ_KG_K * STANDARD.processWaterDeltaTK).toBeCloseTo(p.heatKw, 6);
      expect(p.power.processWaterPumps).toBeCloseTo(p.state.processWaterPumps * pump.ratedPowerKw * p.processWaterPumpSpeed ** 3, 9);
    }
    const speedRatio = p2.processWaterPumpSpeed / p1.processWaterPumpSpeed;
    expect(speedRatio).toBeCloseTo(p2.heatKw / p1.heatKw, 9);
    expect(p2.power.processWaterPumps / p1.power.processWaterPumps).toBeCloseTo(speedRatio ** 3, 9);
  });

  it('uses free cooling when cold, drycoolers in a freeze, chillers when hot and humid', () => {
    const continental = fleetPlant('hall-continental');
    const mild = solve(continental, 0.7, air(8, 60));
    expect(mild.state.chillers).toBe(0);
    expect(mild.economiserKw).toBeCloseTo(mild.heatKw, 6);
    const frozen = solve(continental, 0.7, air(-10, 70));
    expect(frozen.state.drycoolers).toBeGreaterThan(0);
    expect(frozen.state.coolingTowers).toBe(0);
    expect(frozen.state.chillers).toBe(0);
    const hot = solve(continental, 0.7, air(34, 65));
    expect(hot.state.chillers).toBeGreaterThan(0);
    expect(hot.state.coolingTowers).toBeGreaterThan(0);
    expect(hot.pue).toBeGreaterThan(mild.pue + 0.03);
  });

  it('converges: the condenser temperature is a fixed point of the heat-rejection loop', () => {
    const plant = fleetPlant('hall-tropical');
    const p = solve(plant, 0.8, air(31, 75));
    // solving again from the state it produced changes nothing
    const again = solveOperatingPoint(plant, installedEquipment(plant), p.state, {
      serverKw: 0.8 * plant.designItKw,
      networkRoomKw: plant.load.networkRoomFraction * plant.designItKw,
      air: air(31, 75),
      supplySetpointC: plant.control.supplySetpointC,
      towerSetpointC: towerSetpointFor(plant.control, wetBulbStullC(31, 75), plant.control.towerApproachOffsetK, plant.control.supplySetpointC),
    });
    expect(again.condenserWaterC).toBeCloseTo(p.condenserWaterC, 3);
    expect(again.pue).toBeCloseTo(p.pue, 5);
  });
});
