/** Worker thread of verify-on-workers.ts: verifies one range of the stored observations and reports. */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../store/database.js';
import { createAppContext } from '../context/operation.js';
import { verifyStored } from './observation-service.js';
import type { VerifyWorkerTask } from './verify-on-workers.js';

const { path, range } = workerData as VerifyWorkerTask;
const db = openDatabase(path);
try {
  parentPort!.postMessage(await verifyStored(createAppContext(db).reading(), undefined, range));
} finally {
  db.close();
}
