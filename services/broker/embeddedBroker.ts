import { Aedes } from 'aedes';
import { createServer, type Socket } from 'node:net';

/**
 * The MQTT broker `driftline run` starts when `sources.mqtt.url` is unset: aedes on a local TCP
 * port, sessions kept in memory. It speaks MQTT 3.1.1 (aedes has no MQTT 5), so clients connect with
 * protocol version 4; persistent sessions (`clean: false`) still keep unacknowledged QoS 1 messages
 * across client reconnects for as long as the broker runs.
 */
export interface EmbeddedBroker {
  /** e.g. `mqtt://127.0.0.1:1883` */
  readonly url: string;
  readonly port: number;
  /** the protocol clients must use */
  readonly protocolVersion: 4;
  /** connected clients right now */
  connectedClients(): number;
  close(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  readonly host?: string;
  /** 0 = any free port */
  readonly port?: number;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  // aedes' default 23-character client-id cap is MQTT 3.1's; simulated devices use longer ids.
  const broker = await Aedes.createBroker({ maxClientsIdLength: 256 });
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 1883, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    const code = (err as NodeJS.ErrnoException).code;
    const fix = code === 'EADDRINUSE'
      ? 'set sources.mqtt.embedded.port to a free port (0 = any), or sources.mqtt.url to use the broker already running there'
      : 'check sources.mqtt.embedded.host';
    throw new Error(`embedded MQTT broker cannot listen on ${host}:${options.port ?? 1883}: ${(err as Error).message} (fix: ${fix})`);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 1883);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `mqtt://${urlHost}:${port}`,
    port,
    protocolVersion: 4,
    connectedClients: () => broker.connectedClients,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}
