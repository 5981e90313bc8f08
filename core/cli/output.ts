/**
 * Printing results and failures: with --json exactly one JSON object on stdout; without it,
 * readable text on stdout and one line per failure on stderr, naming what and why.
 */
import type { CliIo, CommandResult } from './command.js';
import type { Failure } from './failures.js';

export function printResult(io: CliIo, json: boolean, result: CommandResult): void {
  if (json) io.stdout(JSON.stringify({ ok: true, ...result.json }));
  else if (result.text) io.stdout(result.text);
}

export function printFailures(io: CliIo, json: boolean, failures: readonly Failure[]): void {
  if (json) io.stdout(JSON.stringify({ ok: false, failures }));
  for (const failure of failures) {
    io.stderr(`entente: ${failure.id ? `${failure.id.slice(0, 12)}: ` : ''}${failure.message}`);
  }
}
