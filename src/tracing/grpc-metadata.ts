import type { Metadata } from '@grpc/grpc-js';
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** traceparent/tracestate in gRPC metadata (ASCII keys, lower case, as the propagator asks). */
export const metadataGetter: TextMapGetter<Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => {
    const values = metadata.get(key);
    if (values.length === 0) return undefined;
    return values.length === 1 ? String(values[0]) : values.map(String);
  },
};

export const metadataSetter: TextMapSetter<Metadata> = {
  set: (metadata, key, value) => metadata.set(key, value),
};

/** `/package.Service/Method` → its two halves, as rpc.service and rpc.method want them. */
export function splitMethodPath(path: string): { service: string; method: string } {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.lastIndexOf('/');
  return slash < 0 ? { service: '', method: trimmed } : { service: trimmed.slice(0, slash), method: trimmed.slice(slash + 1) };
}
