/** Worker thread for the all-cores figure: verifies its shard of the stored observations. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRows, verifyRate } from './stored-verification.js';

const { path, seconds, shard, shards } = workerData as { path: string; seconds: number; shard: number; shards: number };
parentPort!.postMessage(await verifyRate(path, loadRows(path, shard, shards), seconds));
