export { createGrpcServer, DEFAULT_TIMEOUTS } from './server.js';
export { findGatewayProto, LOADER_OPTIONS } from './proto.js';
export type { GrpcLimits, GrpcLogger, GrpcServer, GrpcServerOptions, GrpcTimeouts } from './types.js';
