/**
 * The `entente` command line: finds the command, parses its options strictly, runs it, and
 * turns the outcome into output and an exit code (0 done, 1 refused or failed, 2 wrong usage).
 */
import { parseArgs } from 'node:util';
import { APP_NAME, APP_VERSION } from '../api/identity.js';
import { defaultHome } from '../workspace/home.js';
import { GLOBAL_OPTIONS, type CliIo, type Command } from './command.js';
import { commands } from './commands/index.js';
import { EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Refusal, UsageError } from './failures.js';
import { printFailures, printResult } from './output.js';
import { Refused } from '../common/refused.js';

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.stdout(generalHelp());
      return EXIT_OK;
    }
    if (first === '--version' || first === '-V') {
      io.stdout(json ? JSON.stringify({ ok: true, name: APP_NAME, version: APP_VERSION }) : `${APP_NAME} ${APP_VERSION}`);
      return EXIT_OK;
    }
    // Commands are one word (`serve`) or a group and a verb (`mesh init`).
    const grouped = rest[0] === undefined ? undefined : commands.find((c) => c.name === `${first} ${rest[0]}`);
    if (grouped) return await runCommand(grouped, rest.slice(1), io);
    const command = commands.find((c) => c.name === first);
    if (!command) {
      const verbs = commands.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name.split(' ')[1]);
      if (verbs.length > 0) {
        throw new UsageError(`"entente ${first.slice(0, 64)}" needs one of: ${verbs.join(', ')}; see entente --help.`);
      }
      throw new UsageError(`"${first.slice(0, 64)}" is not an entente command; see entente --help.`);
    }
    return await runCommand(command, rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      printFailures(io, json, [{ reason: 'usage', message: error.message }]);
      return EXIT_USAGE;
    }
    if (error instanceof Refusal) {
      printFailures(io, json, error.failures);
      return EXIT_REFUSED;
    }
    // A part of the core that refused where no command translated it: its reason still shows.
    if (error instanceof Refused) {
      printFailures(io, json, [{ reason: error.reason, message: error.message }]);
      return EXIT_REFUSED;
    }
    printFailures(io, json, [{ reason: 'internal', message: `Unexpected failure: ${(error as Error).message ?? String(error)}` }]);
    return EXIT_REFUSED;
  }
}

async function runCommand(command: Command, argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...GLOBAL_OPTIONS, ...command.options }, strict: true, allowPositionals: true });
  } catch (error) {
    // node:util's messages name the offending option; keep only their first line.
    throw new UsageError(`${firstSentence((error as Error).message)} (usage: ${command.usage})`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > (command.maxPositionals ?? 0)) {
    throw new UsageError(`Unexpected argument "${positionals.at(-1)!.slice(0, 64)}" (usage: ${command.usage})`);
  }
  if (values.help) {
    io.stdout(`${command.summary}\n\nusage: ${command.usage}`);
    return EXIT_OK;
  }
  if (typeof values.home === 'string' && values.home.trim() === '') throw new UsageError('--home needs a directory.');
  const home = typeof values.home === 'string' ? values.home : defaultHome(io.env);
  const json = values.json === true;
  const result = await command.run({ home, json, values, positionals, io });
  if (result) printResult(io, json, result);
  return EXIT_OK;
}

/** node:util's parse errors run on with advice about '--'; the first sentence names the problem. */
function firstSentence(message: string): string {
  const line = message.split('\n')[0]!;
  const end = line.indexOf('. ');
  return end > 0 ? line.slice(0, end + 1) : line;
}

function generalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `${APP_NAME} ${APP_VERSION}: cross-mesh reconciliation, console and command line.`,
    '',
    'usage: entente <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options for every command:',
    '  --home DIR   the workspace (default: $ENTENTE_HOME, else your data directory)',
    '  --json       print one JSON object on stdout',
    '  --help, -h   this help, or a command\'s own',
    '  --version    print the version',
    '',
    'Passphrases are read from ENTENTE_PASSPHRASE or asked for, never taken as arguments.',
    'Exit status: 0 done, 1 refused or failed, 2 wrong usage.',
  ].join('\n');
}
