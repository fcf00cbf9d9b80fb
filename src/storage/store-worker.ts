/** The storage worker thread of a partition whose state lives on the main thread: see store-service.ts. */
import { parentPort } from 'node:worker_threads';
import { serveStore } from './store-service.js';

serveStore(parentPort!);
