/** Every CLI command, in the order `entente --help` lists them. */
import type { Command } from '../command.js';
import { serveCommand } from './serve.js';
import { statusCommand } from './status.js';

export const commands: readonly Command[] = [statusCommand, serveCommand];
