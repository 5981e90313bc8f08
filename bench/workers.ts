/**
 * Running one measurement on every core at once. Each worker prepares (loads its rows, builds
 * its keys), says it is ready, and waits; when all are ready they are told to start together, so
 * that every rate is measured while all the others run too — none gets a core to itself while a
 * sibling is still loading.
 */
import { parentPort, Worker } from 'node:worker_threads';

const READY = 'ready';
const GO = 'go';

/** In the main thread: starts `count` workers together and returns each one's reported rate. */
export async function measureOnWorkers(url: URL, count: number, dataFor: (index: number) => unknown): Promise<number[]> {
  const workers = Array.from({ length: count }, (_, index) => new Worker(url, { workerData: dataFor(index) }));
  const settled = workers.map((worker) => {
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const rate = new Promise<number>((resolve, reject) => {
      worker.on('message', (message: unknown) => (message === READY ? ready() : resolve(message as number)));
      worker.once('error', reject);
      worker.once('exit', (code) => code !== 0 && reject(new Error(`bench worker exited with ${code}`)));
    });
    return { isReady, rate };
  });
  try {
    await Promise.race([Promise.all(settled.map((s) => s.isReady)), Promise.all(settled.map((s) => s.rate))]);
    for (const worker of workers) worker.postMessage(GO);
    return await Promise.all(settled.map((s) => s.rate));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** In a worker: reports ready, waits for the common start, measures, and reports the rate. */
export async function measureWhenToldToStart(measure: () => number | Promise<number>): Promise<void> {
  const port = parentPort!;
  await new Promise<void>((resolve) => {
    port.on('message', (message: unknown) => message === GO && resolve());
    port.postMessage(READY);
  });
  port.postMessage(await measure());
}
