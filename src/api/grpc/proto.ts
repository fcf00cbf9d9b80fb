import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';

const PROTO_FILE = join('proto', 'gateway.proto');
const SERVICE = 'gateway_protocol.Gateway';

/**
 * - longs: String — int64 keys go over the wire as decimal strings, never through a JS number.
 * - enums: String — partition role/health by name, as the proto spells them.
 * - defaults: true — every scalar is present, so "unset" is the proto default, as in Zeebe.
 * - oneofs: true — harmless for requests; `Deployment.Metadata` is set by field name.
 * - keepCase: true — the proto's names are already camelCase, and it is what the SDK uses.
 */
export const LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

export function loadGatewayService(protoPath = findGatewayProto()): ServiceDefinition {
  const definition = loadSync(protoPath, LOADER_OPTIONS);
  const service = definition[SERVICE];
  if (!service || !('ActivateJobs' in service)) {
    throw new Error(`${protoPath} does not define the ${SERVICE} service`);
  }
  return service as ServiceDefinition;
}

/**
 * The proto sits at the package root; this module runs from src/ (tests) or dist/src/ (built),
 * so walk up rather than hard-code the depth.
 */
export function findGatewayProto(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, PROTO_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find ${PROTO_FILE} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
