import { connect, type Socket } from 'node:net';
import { AisIngest, type AisHandlers } from '../aisIngest.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { LineSplitter } from './lineSplitter.js';

export type TcpSourceStatus =
  | { readonly state: 'connecting'; readonly attempt: number }
  | { readonly state: 'connected' }
  | { readonly state: 'disconnected'; readonly error: string | null; readonly retryInMs: number };

export interface TcpNmeaSourceOptions {
  readonly host: string;
  readonly port: number;
  /** feed name in rejects and fragment keys, default `tcp:host:port` */
  readonly name?: string;
  readonly backoff?: BackoffOptions;
  readonly maxFragmentAgeMs?: number;
  readonly onStatus?: (status: TcpSourceStatus) => void;
}

/**
 * NMEA over TCP, client side: driftline connects to a feed (AIS-catcher, rtl-ais, a commercial
 * aggregator) and reads lines. Lost connections are retried with exponential backoff for as long
 * as the source runs; bad input never stops it.
 */
export class TcpNmeaSource {
  readonly ingest: AisIngest;
  readonly name: string;
  private socket: Socket | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly backoff: Backoff;
  private readonly splitter: LineSplitter;

  constructor(
    private readonly handlers: AisHandlers,
    private readonly options: TcpNmeaSourceOptions,
  ) {
    this.name = options.name ?? `tcp:${options.host}:${options.port}`;
    this.ingest = new AisIngest(handlers, { source: this.name, maxFragmentAgeMs: options.maxFragmentAgeMs });
    this.backoff = new Backoff(options.backoff);
    this.splitter = new LineSplitter(
      (line) => this.ingest.pushLine(line),
      (start, length) => this.rejectText(start, `line of ${length}+ characters without a newline: not NMEA 0183 (max 82 characters)`),
    );
  }

  /** Starts connecting; returns at once. Status changes are reported to onStatus. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const ageMs = this.options.maxFragmentAgeMs ?? 10_000;
    this.expiryTimer = setInterval(() => this.ingest.expire(), Math.max(50, ageMs / 2));
    this.expiryTimer.unref();
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    this.retryTimer = this.expiryTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    }
  }

  private connect(): void {
    this.options.onStatus?.({ state: 'connecting', attempt: this.backoff.attempts });
    const socket = connect({ host: this.options.host, port: this.options.port });
    this.socket = socket;
    socket.setEncoding('latin1'); // NMEA is ASCII; latin1 never fails on stray bytes
    socket.setKeepAlive(true, 30_000);
    let lastError: string | null = null;
    socket.on('connect', () => {
      this.backoff.reset();
      this.options.onStatus?.({ state: 'connected' });
    });
    socket.on('data', (chunk: string) => this.splitter.push(chunk));
    socket.on('error', (error) => {
      lastError = error.message;
    });
    socket.on('close', () => {
      const rest = this.splitter.takeRest();
      if (rest.trim() !== '') this.rejectText(rest.trim(), 'connection closed in the middle of this line');
      if (this.socket === socket) this.socket = null;
      if (this.stopped) return;
      const retryInMs = this.backoff.next();
      this.options.onStatus?.({ state: 'disconnected', error: lastError, retryInMs });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (!this.stopped) this.connect();
      }, retryInMs);
    });
  }

  private rejectText(sentence: string, reason: string): void {
    this.ingest.decoder.stats.rejected++;
    this.handlers.onReject({ sentence, reason, line: 0, source: this.name, receivedAt: Date.now() });
  }
}
