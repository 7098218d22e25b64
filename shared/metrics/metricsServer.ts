import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * The HTTP endpoints every driftline service exposes: `/metrics` (Prometheus text format from the
 * service's registry), `/healthz` (the process is alive and not wedged) and `/readyz` (it is doing its
 * job: connected, subscribed, caught up; 503 otherwise, so an orchestrator holds traffic or restarts).
 */
export interface MetricsServerOptions {
  readonly host: string;
  /** 0 = any free port */
  readonly port: number;
  readonly registry: Registry;
  readonly ready: () => boolean;
  readonly live?: () => boolean;
}

export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9464` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
      );
      return;
    }
    if (path === '/healthz' || path === '/readyz') {
      const ok = path === '/healthz' ? (options.live?.() ?? true) : options.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'not ready\n');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics, /healthz or /readyz\n');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    const fix = (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'set metrics.port to a free port (0 = any)' : 'check metrics.host';
    throw new Error(`metrics endpoint cannot listen on ${options.host}:${options.port}: ${(err as Error).message} (fix: ${fix})`);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
