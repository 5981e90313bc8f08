/** Worker thread for the all-cores ceiling: verifies the same signature for the given time. */
import { createPublicKey, verify } from 'node:crypto';
import { workerData } from 'node:worker_threads';
import { digestFor, type Algorithm, type VerifyFixture } from './signing-fixtures.js';
import { opsPerSecond } from './timing.js';
import { measureWhenToldToStart } from './workers.js';

const { algorithm, fixture, seconds } = workerData as { algorithm: Algorithm; fixture: VerifyFixture; seconds: number };
const key = createPublicKey(fixture.publicKeyPem);
const message = Buffer.from(fixture.message);
const signature = Buffer.from(fixture.signature);
const digest = digestFor(algorithm);
await measureWhenToldToStart(() =>
  opsPerSecond(seconds, 200, () => {
    if (!verify(digest, message, key, signature)) throw new Error('benchmark signature did not verify');
  }),
);
