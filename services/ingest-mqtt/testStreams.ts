import { randomUUID } from 'node:crypto';
import { driftlineConfigSchema } from '../../shared/config/configSchema.js';
import type { MqttSourceConfig } from '../../shared/config/mqttSourceSchema.js';
import type { StreamConfig } from '../../shared/config/streamSchema.js';

/**
 * Two streams under a topic prefix unique to one spec, so specs sharing a real broker never see each
 * other's messages, plus a fixed client id for the persistent session.
 */
export function testSetup(mqtt: Record<string, unknown> = {}, subscribeAll = false): {
  prefix: string;
  streams: Record<string, StreamConfig>;
  mqtt: MqttSourceConfig;
  vesselTopic: (mmsi: string) => string;
  plantTopic: (id: string) => string;
} {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const common = { window: { kind: 'tumbling', size: '5m' }, features: 'f', model: { name: 'm', version: 1 } };
  const config = driftlineConfigSchema.parse({
    sources: { mqtt: { client_id: `${prefix}-ingest`, ...(subscribeAll ? { topics: [`${prefix}/#`] } : {}), ...mqtt } },
    streams: {
      vessels: { schema: 'vessel_position', topic: `${prefix}/vessels/{key}/position`, ...common },
      plants: { schema: 'plant_telemetry', topic: `${prefix}/plants/{key}/telemetry`, ...common },
    },
  });
  return {
    prefix,
    streams: config.streams,
    mqtt: config.sources.mqtt,
    vesselTopic: (mmsi) => `${prefix}/vessels/${mmsi}/position`,
    plantTopic: (id) => `${prefix}/plants/${id}/telemetry`,
  };
}

export function vesselPayload(mmsi: string, i: number): Record<string, unknown> {
  return { mmsi, timestamp: 1_700_000_000 + i * 60, lat: 10 + i * 1e-3, lon: 20, speed: 3.5, course: 90, heading: 88 };
}

export function plantPayload(plantId: string, i: number): Record<string, unknown> {
  return {
    plant_id: plantId,
    timestamp: new Date(Date.UTC(2024, 0, 1, 0, i * 5)).toISOString(),
    it_load_kw: 1000, network_room_it_load_kw: 50,
    process_water_pumps_running: 2, process_water_pump_vfd_pct: 60,
    condenser_water_pumps_running: 2, condenser_water_pump_vfd_pct: 55,
    cooling_towers_running: 3, cooling_tower_lwt_setpoint_c: 20,
    chillers_running: 1, drycoolers_running: 0,
    chw_injection_pumps_running: 2, chw_injection_pump_setpoint_c: 15,
    hx_approach_temp_c: 2, outside_wet_bulb_c: 12, outside_dry_bulb_c: 18,
    outside_enthalpy_kj_kg: 40, outside_relative_humidity_pct: 55,
    wind_speed_m_s: 4, wind_direction_deg: 270,
  };
}
