/**
 * The internal service (`zen.internal.Node`, proto/internal.proto): its definition loaded at
 * run time, as the gateway's is, and the message shapes as proto-loader hands them over.
 */
import { join } from 'node:path';
import { loadPackageDefinition, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { findPackageFile } from '../../package-file.js';

const PROTO_FILE = join('proto', 'internal.proto');

/** Engine commands can carry large variables and resources; both ends use this limit. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface SubmitRequest {
  partitionId: number;
  command: Buffer;
  awaitTimeoutMs: number;
}
export interface SubmitResponse {
  response: Buffer;
}
export interface DeliverRequest {
  partitionId: number;
  command: Buffer;
}
export interface WatchJobsRequest {
  nodeId: number;
}
export interface JobsAvailableMessage {
  partitionId: number;
  type: string;
  /** Absent from nodes of earlier versions: read as false. */
  served?: boolean;
}
export interface ReadRequest {
  partitionId: number;
  query: Buffer;
}
export interface ReadResponse {
  answer: Buffer;
}
export interface PushRequest {
  partitionId: number;
  entries: Buffer;
}
export interface PingResponse {
  nodeId: number;
}

export interface InternalService {
  readonly definition: ServiceDefinition;
  readonly Client: ServiceClientConstructor;
}

let loaded: InternalService | null = null;

/** Loaded once per process: every peer client and the server share the definition. */
export function internalService(): InternalService {
  if (loaded) return loaded;
  // defaults: true — an absent field is its proto default (0, empty), never undefined.
  const packageDefinition = loadSync(findPackageFile(PROTO_FILE), { keepCase: false, defaults: true });
  const root = loadPackageDefinition(packageDefinition) as unknown as { zen: { internal: { Node: ServiceClientConstructor } } };
  const Client = root.zen.internal.Node;
  loaded = { definition: Client.service, Client };
  return loaded;
}
