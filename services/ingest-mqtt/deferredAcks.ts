import type { IPublishPacket, MqttClient } from 'mqtt';

/**
 * Acknowledge-after-durable for mqtt.js. mqtt.js sends a QoS 1 PUBACK as soon as the `message`
 * event and `handleMessage` return, and processes incoming packets strictly one after another.
 * `customHandleAcks` (MQTT 5 only) can delay that PUBACK, but only by stalling the packet pump, so
 * every message would wait for its own bus append: no batching. Instead, `handleMessage` completes
 * with an error for QoS 1, which makes mqtt.js skip its automatic PUBACK while the pump moves on
 * (mqtt.js 5.x `handlers/publish.js`); `ack()` sends the PUBACK later, once the message is durable.
 * The broker keeps every unacknowledged message in the session and redelivers it after a reconnect,
 * so a crash before `ack()` loses nothing. Backpressure: when `onMessage` returns a promise, the
 * pump waits for it before reading the next packet. Specs pin this behaviour against real brokers.
 */
export interface InboundMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly messageId: number | undefined;
  /** the broker's redelivery flag */
  readonly dup: boolean;
  /** connection the message arrived on; a PUBACK is only meaningful on that same connection */
  readonly connection: number;
  /** processing time of arrival, epoch ms */
  readonly receivedAt: number;
}

export interface DeferredAcks {
  /** Sends the PUBACK of a QoS 1 message. False if its connection has gone (the broker will redeliver). */
  ack(message: InboundMessage): boolean;
  /** Stops handing messages to `onMessage`; later ones stay unacknowledged for the broker to redeliver. */
  pause(): void;
}

/** Completing `handleMessage` with this skips mqtt.js's automatic PUBACK (see above). */
const ACK_DEFERRED = new Error('driftline: PUBACK deferred until the message is durable');

function completeHandling(packet: IPublishPacket, callback: (err?: Error) => void): void {
  if (packet.qos === 1) callback(ACK_DEFERRED);
  else callback();
}

interface PacketWriter {
  _sendPacket(packet: { cmd: 'puback'; messageId: number; reasonCode?: number }): void;
}

/**
 * Installs deferred acknowledgement on a client created with `manualConnect: true`, before it connects,
 * so the messages a persistent session queued while we were away are not missed.
 */
export function deferAcks(
  client: MqttClient,
  onMessage: (message: InboundMessage) => Promise<void> | undefined,
  now: () => number = Date.now,
): DeferredAcks {
  let connection = 0;
  let paused = false;
  let backpressure: Promise<void> | undefined;

  client.on('connect', () => {
    connection++;
  });

  client.on('message', (topic: string, payload: Buffer, packet: IPublishPacket) => {
    if (paused) return;
    backpressure = onMessage({
      topic,
      payload,
      qos: packet.qos,
      messageId: packet.messageId,
      dup: packet.dup,
      connection,
      receivedAt: now(),
    });
  });

  // mqtt.js calls handleMessage right after the `message` event for QoS 0/1 (on PUBREL for QoS 2).
  client.handleMessage = (packet, callback) => {
    if (packet.qos === 2) {
      callback(); // never subscribed at QoS 2; keep mqtt.js's own exactly-once handshake
      return;
    }
    const wait = backpressure;
    backpressure = undefined;
    // No named closure per message: tsx (esbuild keepNames) names each one with a defineProperty
    // call, which showed up at 2% of the ingest thread's time.
    if (wait) wait.then(() => completeHandling(packet, callback), () => completeHandling(packet, callback));
    else completeHandling(packet, callback);
  };

  return {
    ack(message) {
      if (message.qos !== 1 || message.messageId === undefined) return true;
      if (message.connection !== connection || !client.connected) return false;
      (client as unknown as PacketWriter)._sendPacket({ cmd: 'puback', messageId: message.messageId, reasonCode: 0 });
      return true;
    },
    pause() {
      paused = true;
    },
  };
}
