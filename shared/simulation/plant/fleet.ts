import type { PlantConfig } from './plantConfig.js';

/**
 * The simulated fleet: five halls whose climates are loosely modelled on published climate normals of
 * regions where large data centers stand (README gives the approximations). Sizes, setpoints and load
 * shapes differ so that a model trained on the fleet has to learn physics, not one hall's habits.
 */
export const FLEET: readonly PlantConfig[] = [
  {
    plantId: 'hall-nordic',
    description: 'cold maritime (southern Finland-like); drycoolers most of the winter',
    designItKw: 4000,
    utcOffsetHours: 2,
    climate: {
      meanDryBulbC: 5.5, seasonalAmplitudeK: 11.5, warmestDayOfYear: 200, diurnalAmplitudeK: 3.5, synopticSigmaK: 3.5,
      meanDewPointC: 1.5, seasonalDewPointAmplitudeK: 9, dewPointSigmaK: 2.5, meanWindMS: 4.5, prevailingWindDeg: 225,
    },
    load: {
      baseUtilisation: 0.72, diurnalAmplitude: 0.05, peakLocalHour: 20, weekendDip: 0.03, growthPerYear: 0.06,
      noiseSigma: 0.02, networkRoomFraction: 0.02,
    },
    control: {
      supplySetpointC: 20, towerApproachOffsetK: 3, towerSetpointMinC: 8, towerSetpointMaxC: 28, drycoolerSwitchC: 4,
      recirculationMaxK: 0.6, recirculationFromDeg: 45,
    },
  },
  {
    plantId: 'hall-continental',
    description: 'humid continental (Iowa-like): cold winters, hot humid summers',
    designItKw: 8000,
    utcOffsetHours: -6,
    climate: {
      meanDryBulbC: 10.5, seasonalAmplitudeK: 15, warmestDayOfYear: 200, diurnalAmplitudeK: 5.5, synopticSigmaK: 4,
      meanDewPointC: 4, seasonalDewPointAmplitudeK: 12, dewPointSigmaK: 3, meanWindMS: 4.8, prevailingWindDeg: 180,
    },
    load: {
      baseUtilisation: 0.78, diurnalAmplitude: 0.06, peakLocalHour: 15, weekendDip: 0.04, growthPerYear: 0.08,
      noiseSigma: 0.02, networkRoomFraction: 0.015,
    },
    control: {
      supplySetpointC: 21, towerApproachOffsetK: 3.5, towerSetpointMinC: 8, towerSetpointMaxC: 29, drycoolerSwitchC: 2,
      recirculationMaxK: 0.8, recirculationFromDeg: 315,
    },
  },
  {
    plantId: 'hall-desert',
    description: 'hot desert (Arizona-like): large day–night swing, dry air, low wet bulb',
    designItKw: 6000,
    utcOffsetHours: -7,
    climate: {
      meanDryBulbC: 22, seasonalAmplitudeK: 10.5, warmestDayOfYear: 195, diurnalAmplitudeK: 7.5, synopticSigmaK: 2.5,
      meanDewPointC: 2, seasonalDewPointAmplitudeK: 6, dewPointSigmaK: 3.5, meanWindMS: 3.5, prevailingWindDeg: 250,
    },
    load: {
      baseUtilisation: 0.65, diurnalAmplitude: 0.08, peakLocalHour: 14, weekendDip: 0.05, growthPerYear: 0.1,
      noiseSigma: 0.025, networkRoomFraction: 0.025,
    },
    control: {
      supplySetpointC: 22, towerApproachOffsetK: 3, towerSetpointMinC: 12, towerSetpointMaxC: 29, drycoolerSwitchC: null,
      recirculationMaxK: 0.5, recirculationFromDeg: 90,
    },
  },
  {
    plantId: 'hall-tropical',
    description: 'tropical rainforest (Singapore-like): hot and humid all year, chillers always on',
    designItKw: 3000,
    utcOffsetHours: 8,
    climate: {
      meanDryBulbC: 27.5, seasonalAmplitudeK: 1, warmestDayOfYear: 140, diurnalAmplitudeK: 3.5, synopticSigmaK: 0.8,
      meanDewPointC: 24, seasonalDewPointAmplitudeK: 0.6, dewPointSigmaK: 0.8, meanWindMS: 2.5, prevailingWindDeg: 160,
    },
    load: {
      baseUtilisation: 0.82, diurnalAmplitude: 0.07, peakLocalHour: 21, weekendDip: 0.02, growthPerYear: 0.05,
      noiseSigma: 0.02, networkRoomFraction: 0.03,
    },
    control: {
      supplySetpointC: 21, towerApproachOffsetK: 3, towerSetpointMinC: 20, towerSetpointMaxC: 30, drycoolerSwitchC: null,
      recirculationMaxK: 0.7, recirculationFromDeg: 20,
    },
  },
  {
    plantId: 'hall-oceanic-south',
    description: 'mild southern-hemisphere (central Chile-like): dry summers, seasons reversed',
    designItKw: 2000,
    utcOffsetHours: -4,
    climate: {
      meanDryBulbC: 14.5, seasonalAmplitudeK: 6, warmestDayOfYear: 20, diurnalAmplitudeK: 7, synopticSigmaK: 2,
      meanDewPointC: 7, seasonalDewPointAmplitudeK: 3, dewPointSigmaK: 2, meanWindMS: 3, prevailingWindDeg: 200,
    },
    load: {
      baseUtilisation: 0.6, diurnalAmplitude: 0.1, peakLocalHour: 16, weekendDip: 0.05, growthPerYear: 0.07,
      noiseSigma: 0.025, networkRoomFraction: 0.02,
    },
    control: {
      supplySetpointC: 20, towerApproachOffsetK: 3.5, towerSetpointMinC: 10, towerSetpointMaxC: 29, drycoolerSwitchC: null,
      recirculationMaxK: 0.4, recirculationFromDeg: 30,
    },
  },
];

export function fleetPlant(plantId: string): PlantConfig {
  const plant = FLEET.find((p) => p.plantId === plantId);
  if (plant === undefined) {
    throw new Error(`no simulated plant "${plantId}"; known plants: ${FLEET.map((p) => p.plantId).join(', ')}`);
  }
  return plant;
}

/**
 * `count` halls for a simulator run: the fleet's five first, then further halls with the same
 * configurations under new ids (`hall-nordic-2`, …). The id seeds each hall's random stream, so every
 * hall has its own weather and load while staying in the climates the PUE model was trained on.
 */
export function simulatedPlants(count: number): PlantConfig[] {
  if (!Number.isInteger(count) || count < 0) throw new Error(`simulatedPlants: count must be a whole number ≥ 0, got ${count}`);
  return Array.from({ length: count }, (_, i) => {
    const base = FLEET[i % FLEET.length];
    const round = Math.floor(i / FLEET.length);
    return round === 0 ? base : { ...base, plantId: `${base.plantId}-${round + 1}` };
  });
}
