/** Process entry of the `entente` command (bundled to dist/cli/entente.mjs). */
import { main } from './main.js';

const stopSignals = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});

const code = await main(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  untilStopped: () => stopSignals,
});
process.exitCode = code;
