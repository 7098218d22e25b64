import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { MqttSourceConfig } from '../../shared/config/mqttSourceSchema.js';

function readPem(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`sources.mqtt.tls.${key}: cannot read "${path}": ${(err as Error).message} (fix: point tls.${key} at a readable PEM file)`);
  }
}

/**
 * mqtt.js options for the ingest's persistent session: fixed client id, `clean: false`, and for MQTT 5
 * a session expiry (without it an MQTT 5 broker discards the session at disconnect, `clean: false`
 * notwithstanding) and a receive maximum that bounds unacknowledged messages in flight.
 * `manualConnect` lets the caller attach the message handler before the first CONNECT.
 */
export function mqttClientOptions(config: MqttSourceConfig, protocolVersion: 4 | 5 = config.protocol_version): IClientOptions {
  const options: IClientOptions = {
    clientId: config.client_id,
    clean: false,
    protocolVersion,
    keepalive: Math.max(1, Math.round(config.keepalive / 1000)),
    reconnectPeriod: config.reconnect_period,
    connectTimeout: 30_000,
    manualConnect: true,
    resubscribe: true,
  };
  // mqtt.js reports every packet to `debug`; even switched off that is ~1 µs per message at ingest
  // rates, so it is bypassed unless DEBUG asks for mqtt.js's output.
  if (!/mqttjs|\*/.test(process.env.DEBUG ?? '')) options.log = () => undefined;
  if (protocolVersion === 5) {
    options.properties = {
      sessionExpiryInterval: Math.round(config.session_expiry / 1000),
      receiveMaximum: config.receive_maximum,
    };
  }
  if (config.username !== undefined) options.username = config.username;
  if (config.password !== undefined) options.password = config.password;
  if (config.tls) {
    options.rejectUnauthorized = config.tls.reject_unauthorized;
    if (config.tls.ca) options.ca = readPem(config.tls.ca, 'ca');
    if (config.tls.cert) options.cert = readPem(config.tls.cert, 'cert');
    if (config.tls.key) options.key = readPem(config.tls.key, 'key');
  }
  return options;
}
