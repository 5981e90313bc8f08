/**
 * What a CLI command is: a name, a one-line summary for `--help`, its own options, and a run
 * function that returns what to report. Options every command shares (--home, --json) are
 * added here so no command declares them twice.
 */
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  /** The workspace home: --home, else ENTENTE_HOME, else the user's data directory. */
  readonly home: string;
  readonly json: boolean;
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
  readonly io: CliIo;
}

export interface CommandResult {
  /** The single JSON object printed with --json (`ok: true` is added). */
  readonly json: Record<string, unknown>;
  /** What a person reads without --json. */
  readonly text: string;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: OptionSpec;
  /** How many bare arguments the command takes (ids, files); more is a usage error. */
  readonly maxPositionals?: number;
  /** Returns what to report; a long-running command reports itself early and returns null. */
  readonly run: (context: CommandContext) => Promise<CommandResult | null>;
}

export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when the user asks a long-running command (serve) to stop. */
  readonly untilStopped: () => Promise<void>;
  /** All of standard input as text (payloads are piped in); refuses a terminal or oversized input. */
  readonly readStdin: () => Promise<string>;
}

export const GLOBAL_OPTIONS: OptionSpec = {
  home: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};
