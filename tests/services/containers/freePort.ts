import { createServer } from 'node:net';

/**
 * A TCP port free on this host right now. Used where the host port must be fixed before the container starts:
 * Kafka advertises it to clients, and mosquitto keeps it across the stop/start of the broker-restart test
 * (Docker picks a new random port on every start otherwise). Only meaningful for a local Docker engine.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
