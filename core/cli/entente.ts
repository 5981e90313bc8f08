/** Process entry of the `entente` command (bundled to dist/cli/entente.mjs). */
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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_STDIN_BYTES) throw Refusal.one('input-too-large', `Standard input is larger than ${MAX_STDIN_BYTES} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
