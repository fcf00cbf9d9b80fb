import { join } from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';
import { findPackageFile } from '../../package-file.js';

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

export function findGatewayProto(): string {
  return findPackageFile(PROTO_FILE);
}
