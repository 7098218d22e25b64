import { createSocket, type Socket } from 'node:dgram';
import { AisIngest, type AisHandlers } from '../aisIngest.js';

export interface UdpNmeaSourceOptions {
  /** port to listen on; 0 picks a free one (see start()) */
  readonly port: number;
  /** address to bind, default 0.0.0.0 */
  readonly host?: string;
  readonly name?: string;
  readonly maxFragmentAgeMs?: number;
}

/**
 * NMEA over UDP, listening side: AIS receivers (AIS-catcher, rtl-ais, OpenCPN forwarders) send
 * each sentence, or a few lines, as one datagram. Several receivers may send to one port, so
 * fragments only join with fragments from the same sender address.
 */
export class UdpNmeaSource {
  readonly ingest: AisIngest;
  readonly name: string;
  private socket: Socket | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;

  constructor(
    handlers: AisHandlers,
    private readonly options: UdpNmeaSourceOptions,
  ) {
    this.name = options.name ?? `udp:${options.host ?? '0.0.0.0'}:${options.port}`;
    this.ingest = new AisIngest(handlers, { source: this.name, maxFragmentAgeMs: options.maxFragmentAgeMs });
  }

  /** Binds the socket; resolves with the port actually bound. */
  async start(): Promise<{ port: number }> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    this.socket = socket;
    socket.on('message', (datagram, rinfo) => {
      const origin = `${rinfo.address}:${rinfo.port}`;
      const arrivedAt = Date.now();
      for (const line of datagram.toString('latin1').split('\n')) this.ingest.pushLine(line, { arrivedAt, origin });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port, this.options.host ?? '0.0.0.0', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // an error after binding (rare for UDP) must not crash the process; datagrams are independent
    socket.on('error', () => undefined);
    const ageMs = this.options.maxFragmentAgeMs ?? 10_000;
    this.expiryTimer = setInterval(() => this.ingest.expire(), Math.max(50, ageMs / 2));
    this.expiryTimer.unref();
    return { port: socket.address().port };
  }

  async stop(): Promise<void> {
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    this.expiryTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
