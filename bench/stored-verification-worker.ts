/** Worker thread for the all-cores figure: verifies its shard of the stored observations. */
import { workerData } from 'node:worker_threads';
import { loadRows, prepareVerification } from './stored-verification.js';
import { measureWhenToldToStart } from './workers.js';

const { path, seconds, shard, shards } = workerData as { path: string; seconds: number; shard: number; shards: number };
const prepared = await prepareVerification(path, loadRows(path, shard, shards));
await measureWhenToldToStart(() => prepared.rate(seconds));
prepared.close();
