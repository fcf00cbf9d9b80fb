/**
 * The change feed behind `GET /v2/changes` (a Zen extension): server-sent events telling a
 * client that what the node can see has moved, so it reads again instead of polling on a timer.
 *
 * It samples rather than listens: each partition's log index (PartitionDirectory.marks) and the
 * topology are read a few times a second while at least one stream is open, and nothing runs
 * while none is. Sampling bounds the rate by itself (one event per sample at most, however busy
 * the engine) and needs no hook in the engine, on a leader or a follower alike.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZenError } from '../../errors.js';
import type { PartitionMark } from '../../node/local-directory.js';
import type { LongLivedCalls as LongPolls } from '../shared/long-lived-calls.js';
import type { RestLogger } from './logger.js';

export interface ChangeFeedOptions {
  /** How often the marks are read while a stream is open: at most one event per sample. */
  readonly sampleMs?: number;
  /** A comment line this often, so proxies and load balancers keep an idle stream open. */
  readonly heartbeatMs?: number;
  /** Partitions this node does not replicate cannot be seen to move: an event names them this often. */
  readonly unobservedTickMs?: number;
  /** The reconnection delay the stream suggests to its client (`retry:`). */
  readonly retryMs?: number;
  /** Streams open at once on this node; more are refused with 429. */
  readonly maxStreams?: number;
}

export const CHANGE_FEED_DEFAULTS: Required<ChangeFeedOptions> = {
  sampleMs: 250,
  heartbeatMs: 15_000,
  unobservedTickMs: 10_000,
  retryMs: 2_000,
  maxStreams: 64,
};

/** What one sample reads: the partitions' marks and a fingerprint of the topology. */
export interface ChangeSample {
  readonly marks: readonly PartitionMark[];
  readonly topology: string;
}

/** The JSON of one `change` event. */
export interface ChangeEvent {
  /** open: the stream's first event, the state it starts from; advanced: something moved; tick: the slow tick for unobserved partitions. */
  readonly reason: 'open' | 'advanced' | 'tick';
  /** The partitions that moved since the previous event (every partition on open; the unobserved ones on a tick). */
  readonly partitions: readonly number[];
  /** The topology (members, leaders, health) changed. */
  readonly topology: boolean;
  /** Each observed partition's log index on this node. */
  readonly positions: Readonly<Record<string, number>>;
  /** Partitions this node keeps no replica of: they may change unseen. */
  readonly unobserved: readonly number[];
}

/** A client that reads slower than this is cut rather than buffered without end. */
const MAX_BUFFERED_BYTES = 64 * 1024;

export class ChangeFeed {
  private readonly options: Required<ChangeFeedOptions>;
  private readonly streams = new Set<(chunk: string) => void>();
  private sampler: ReturnType<typeof setInterval> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private last: ChangeSample | null = null;
  private sampling = false;
  /** The last sample failed: the next failures are not logged again until one succeeds. */
  private failing = false;
  private sequence = 0;

  constructor(
    private readonly sample: () => Promise<ChangeSample>,
    private readonly logger: RestLogger,
    options: ChangeFeedOptions = {},
  ) {
    this.options = { ...CHANGE_FEED_DEFAULTS, ...options };
  }

  /** Streams open now. */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Whether any of its timers runs (none should while no stream is open). */
  get running(): boolean {
    return this.sampler !== null || this.heartbeat !== null || this.ticker !== null;
  }

  /** Takes the request over as an event stream; refuses with RESOURCE_EXHAUSTED past maxStreams. */
  async open(request: FastifyRequest, reply: FastifyReply, longPolls: LongPolls): Promise<void> {
    const first = await this.sample();
    if (this.streams.size >= this.options.maxStreams) {
      throw new ZenError(
        'RESOURCE_EXHAUSTED',
        `This node already serves ${this.options.maxStreams} change streams; close one, or poll instead`,
      );
    }
    reply.hijack();
    const res = reply.raw;
    // Gone while the first sample was read: its close event has passed, so nothing would end it.
    if (res.destroyed || request.raw.socket?.destroyed) {
      res.destroy();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx buffers responses unless told not to; an event must reach the client when sent.
      'x-accel-buffering': 'no',
    });
    const write = (chunk: string) => {
      if (res.writableEnded || res.destroyed) return;
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.destroy();
        return;
      }
      res.write(chunk);
    };
    // HEAD (which fastify routes to every GET) learns the headers; there is no body to hold open.
    if (request.method === 'HEAD') {
      res.end();
      return;
    }
    write(`retry: ${this.options.retryMs}\n\n`);
    const all = first.marks.map((m) => m.partitionId);
    write(this.format(this.event('open', all, false, first)));
    this.last ??= first;

    const unregister = longPolls.add(() => res.end());
    this.streams.add(write);
    this.start();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      unregister();
      this.streams.delete(write);
      if (this.streams.size === 0) this.stop();
    };
    // The response's close, not the request's: a request closes as soon as its (empty) body is read.
    res.once('close', close);
  }

  private start(): void {
    const { sampleMs, heartbeatMs, unobservedTickMs } = this.options;
    // Unref'd: the open sockets are what keeps the process up, not the feed's timers.
    this.sampler ??= setInterval(() => void this.compare(), sampleMs).unref();
    this.heartbeat ??= setInterval(() => this.broadcast(': keep-alive\n\n'), heartbeatMs).unref();
    this.ticker ??= setInterval(() => this.tick(), unobservedTickMs).unref();
  }

  private stop(): void {
    for (const timer of [this.sampler, this.heartbeat, this.ticker]) if (timer) clearInterval(timer);
    this.sampler = this.heartbeat = this.ticker = null;
    // The next first stream starts from its own sample, not from one taken long before.
    this.last = null;
  }

  private async compare(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const next = await this.sample();
      this.failing = false;
      const previous = this.last;
      if (!this.running) return;
      this.last = next;
      if (!previous) return;
      const before = new Map(previous.marks.map((m) => [m.partitionId, m.logIndex]));
      const moved = next.marks.filter((m) => m.logIndex !== null && before.get(m.partitionId) !== m.logIndex).map((m) => m.partitionId);
      const topology = next.topology !== previous.topology;
      if (moved.length > 0 || topology) this.broadcast(this.format(this.event('advanced', moved, topology, next)));
    } catch (err) {
      if (!this.failing) this.logger.warn({ err }, 'the change feed could not sample the partitions');
      this.failing = true;
    } finally {
      this.sampling = false;
    }
  }

  private tick(): void {
    const last = this.last;
    if (!last) return;
    const unobserved = last.marks.filter((m) => m.logIndex === null).map((m) => m.partitionId);
    if (unobserved.length > 0) this.broadcast(this.format(this.event('tick', unobserved, false, last)));
  }

  private event(reason: ChangeEvent['reason'], partitions: readonly number[], topology: boolean, sample: ChangeSample): ChangeEvent {
    const positions: Record<string, number> = {};
    const unobserved: number[] = [];
    for (const mark of sample.marks) {
      if (mark.logIndex === null) unobserved.push(mark.partitionId);
      else positions[String(mark.partitionId)] = mark.logIndex;
    }
    return { reason, partitions, topology, positions, unobserved };
  }

  private format(event: ChangeEvent): string {
    return `id: ${++this.sequence}\nevent: change\ndata: ${JSON.stringify(event)}\n\n`;
  }

  private broadcast(chunk: string): void {
    for (const write of this.streams) write(chunk);
  }
}
