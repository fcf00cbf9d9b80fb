import type { Attributes } from '@opentelemetry/api';
import { LABEL, METRIC, REQUEST_DURATION_BUCKETS } from './names.js';
import type { ZenMetrics } from './zen-metrics.js';

/** What the REST and gRPC servers record per answered request. */
export interface ApiMetrics {
  /** `route` is the route template (`/v2/jobs/:jobKey/completion`), never the URL: URLs hold keys. */
  http(method: string, route: string, status: number, seconds: number): void;
  /** `method` is the RPC name (`CreateProcessInstance`), `code` the grpc status name (`OK`, `NOT_FOUND`). */
  grpc(method: string, code: string, seconds: number): void;
}

/**
 * Request counters and latency histograms for both APIs. Attribute objects are built once per
 * label combination; routes and RPC names are fixed by the servers, so the map stays small.
 */
export function apiMetrics(metrics: ZenMetrics): ApiMetrics {
  const httpCount = metrics.counter(METRIC.httpRequests, 'REST requests answered, by method, route template and status');
  const httpDuration = metrics.histogram(METRIC.httpRequestDuration, 'REST request latency, by method and route template, in seconds', REQUEST_DURATION_BUCKETS);
  const grpcCount = metrics.counter(METRIC.grpcRequests, 'gRPC calls ended, by method and status code');
  const grpcDuration = metrics.histogram(METRIC.grpcRequestDuration, 'gRPC call latency (streams: until they end), by method, in seconds', REQUEST_DURATION_BUCKETS);
  const cache = new Map<string, Attributes>();
  const attributes = (key: string, build: () => Attributes): Attributes => {
    let found = cache.get(key);
    if (!found) cache.set(key, (found = Object.freeze(build())));
    return found;
  };
  return {
    http(method, route, status, seconds) {
      httpCount(1, attributes(`h${method} ${route} ${status}`, () => ({ [LABEL.method]: method, [LABEL.route]: route, [LABEL.status]: String(status) })));
      httpDuration(seconds, attributes(`h${method} ${route}`, () => ({ [LABEL.method]: method, [LABEL.route]: route })));
    },
    grpc(method, code, seconds) {
      grpcCount(1, attributes(`g${method} ${code}`, () => ({ [LABEL.method]: method, [LABEL.code]: code })));
      grpcDuration(seconds, attributes(`g${method}`, () => ({ [LABEL.method]: method })));
    },
  };
}
