export { ClientPool, type ClientPoolOptions, type JobWatch, type JobWatchEvents, type SubmitOptions } from './client-pool.js';
export type { WireCommand } from './command-codec.js';
export { createPrivateServer, type PrivateHandlers, type PrivateServer, type PrivateServerOptions } from './internal-service.js';
export { JobHints, type JobHintsOptions } from './job-hints.js';
export { GRPC_FIRST_BYTE, PrivatePortMultiplexer, SNAPSHOT_FIRST_BYTE, type ConnectionHandler } from './multiplexer.js';
export { isSafeToRetry, NotLeaderError, PeerUnreachableError } from './remote-errors.js';
export { RemotePartition, type RemotePartitionOptions } from './remote-partition.js';
export { fetchSnapshot, splitAddress, type FetchSnapshotOptions, type SnapshotFile, type SnapshotProvider } from './snapshot-transfer.js';
