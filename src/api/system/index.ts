export { createSystemServer, type SystemServer, type SystemServerOptions } from './server.js';
export type { ReadinessCheck, ReadinessResult } from './readiness.js';
export type { MetricsSource } from './metrics-route.js';
