import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../services/broker/embeddedBroker.js';
import { CollectingHandlers } from '../../../tests/ais/collectingHandlers.js';
import { AisCatcherMqttSource } from './aisCatcherMqttSource.js';
import { MqttNmeaSource } from './mqttNmeaSource.js';

const TYPE1 = '!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C';
const TYPE5 = [
  '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
  '!AIVDM,2,2,1,A,88888888880,2*25',
];

let broker: EmbeddedBroker;
let publisher: MqttClient;
beforeAll(async () => {
  broker = await startEmbeddedBroker({ port: 0 });
  publisher = await connectAsync(broker.url, { protocolVersion: 4 });
});
afterAll(async () => {
  await publisher.endAsync();
  await broker.close();
});

describe('MqttNmeaSource (in-process aedes broker)', () => {
  it('decodes raw NMEA lines published on a topic, several per message', async () => {
    const handlers = new CollectingHandlers();
    const source = new MqttNmeaSource(handlers, { url: broker.url, topic: 'feeds/+/nmea' });
    await source.start();
    try {
      await publisher.publishAsync('feeds/station1/nmea', TYPE1);
      await publisher.publishAsync('feeds/station1/nmea', `${TYPE5[0]}\n${TYPE5[1]}\n`);
      await publisher.publishAsync('feeds/station1/nmea', '!AIVDM,1,1,,B,,0*25');
      await publisher.publishAsync('other/topic', TYPE1);
      await handlers.until((h) => h.messages.length === 2 && h.rejects.length === 1);
      expect(handlers.positions[0].position).toMatchObject({ mmsi: '366053209', lat: 37.802118 });
      expect(handlers.vessels[0].vessel.shipname).toBe('EVER DIADEM');
      expect(handlers.rejects[0]).toMatchObject({ sentence: '!AIVDM,1,1,,B,,0*25', reason: 'empty payload', source: 'mqtt:feeds/+/nmea' });
    } finally {
      await source.stop();
    }
  });
});

describe('AisCatcherMqttSource (in-process aedes broker)', () => {
  it('decodes the nmea of AIS-catcher JSON and takes receiver time and station from beside it', async () => {
    const handlers = new CollectingHandlers();
    const source = new AisCatcherMqttSource(handlers, { url: broker.url, topic: 'ais/<mmsi>/data' });
    expect(source.filter).toBe('ais/+/data');
    await source.start();
    try {
      // the shape AIS-catcher publishes: decoded gpsd fields beside nmea/rxtime/rxuxtime/channel/signalpower/station_id
      await publisher.publishAsync(
        'ais/366053209/data',
        JSON.stringify({
          class: 'AIS', device: 'AIS-catcher', version: 62, driver: 1, hardware: 'rtlsdr', channel: 'B', signalpower: -32.5, ppm: 1.2,
          rxtime: '20261129120003', rxuxtime: 1795953603, station_id: 7, nmea: [TYPE1],
          type: 1, repeat: 0, mmsi: 366053209, status: 3, status_text: 'Restricted manoeuverability', lat: 37.802118, lon: -122.341618, speed: 0, course: 219.3, heading: 1, second: 59,
        }),
      );
      await publisher.publishAsync('ais/351759000/data', JSON.stringify({ rxtime: '20261129120004', station_id: 'north', nmea: TYPE5, type: 5, mmsi: 351759000 }));
      await publisher.publishAsync('ais/1/data', '{not json');
      await publisher.publishAsync('ais/2/data', JSON.stringify({ type: 1, mmsi: 2, lat: 1, lon: 2 }));
      await handlers.until((h) => h.messages.length === 2 && h.rejects.length === 2);

      const [position] = handlers.positions;
      expect(position.reception).toMatchObject({ station: '7', receivedAt: 1795953603_000, receivedAtFrom: 'receiver', channel: 'B' });
      // second 59 of the fix, received at 12:00:03: the fix was at 11:59:59
      expect(position.position.timestamp).toBe(1795953599);
      const [vessel] = handlers.vessels;
      expect(vessel.reception).toMatchObject({ station: 'north', receivedAt: Date.UTC(2026, 10, 29, 12, 0, 4) });
      expect(vessel.vessel).toMatchObject({ mmsi: '351759000', shipname: 'EVER DIADEM', callsign: '3FOF8', imo: 9134270, shiptype: 70, draught: 12.2 });
      expect(handlers.rejects[0].reason).toMatch(/^AIS-catcher payload is not JSON/);
      expect(handlers.rejects[1].reason).toMatch(/no "nmea" array/);
      expect(handlers.rejects[1].sentence).toBe(JSON.stringify({ type: 1, mmsi: 2, lat: 1, lon: 2 }));
    } finally {
      await source.stop();
    }
  });
});
