/** Process entry of the `entente` command (bundled to dist/cli/entente.mjs). */
import { InputTooLarge, readStreamBounded } from './bounded-read.js';
import { Refusal } from './failures.js';
import { main } from './main.js';

const MAX_STDIN_BYTES = 4 * 1024 * 1024;

const stopSignals = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});

const code = await main(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  untilStopped: () => stopSignals,
  readStdin,
});
process.exitCode = code;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw Refusal.one('no-input', 'Pipe the payload JSON on standard input, e.g. `< payload.json`.');
  try {
    return (await readStreamBounded(process.stdin as AsyncIterable<Buffer>, MAX_STDIN_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof InputTooLarge) throw Refusal.one('input-too-large', `Standard input is larger than ${MAX_STDIN_BYTES} bytes.`);
    throw error;
  }
}
