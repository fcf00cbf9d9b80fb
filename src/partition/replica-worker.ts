/** The storage worker thread of a cluster member's replica: the store, and the state it follows (follower-state.ts). */
import { parentPort } from 'node:worker_threads';
import { serveStore } from '../storage/store-service.js';
import { FollowerState } from './follower-state.js';

serveStore(parentPort!, new FollowerState());
