/**
 * `entente demo` builds the coalition exercise NORTHERN WATCH into a new or empty folder through
 * the real pipeline: GBR's home there (the one the console opens), FRA's and DEU's under
 * partners/. `--first-run` is `npm start`'s: build only when the folder holds nothing yet.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_PASSPHRASE, runDemo } from '../../exercise/demo.js';
import type { Command } from '../command.js';
import { refusing } from './shared.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Build the coalition exercise (three meshes, federations, tracks, queue, quarantine, taint) into a new folder.',
  usage: 'entente demo [--home DIR] [--first-run] [--json]',
  options: { 'first-run': { type: 'boolean' } },
  run: async ({ home, json, values, io }) => {
    const target = resolve(home);
    if (values['first-run'] === true && existsSync(target) && readdirSync(target).length > 0) {
      return { json: { home: target, built: false }, text: `${target} holds a workspace already: opening it as it is.` };
    }
    if (!json) io.stdout(`Building the coalition exercise NORTHERN WATCH in ${target} (about a minute)…`);
    const summary = await refusing(() => runDemo(target, { onStep: json ? undefined : (line) => io.stdout(`  ${line}`) }));
    const partners = summary.homes.filter((h) => h.home !== summary.console);
    return {
      json: { built: true, ...summary },
      text: [
        `The console opens GBR's home: ${summary.console}`,
        ...partners.map((h) => `${h.mesh}'s home: ${h.home} (open it with --home ${h.home})`),
        `Bundles that carried the exercise: ${join(summary.console, 'bundles')}`,
        `Demo passphrase for every key in these homes: ${DEMO_PASSPHRASE}`,
        'This is a demo: the passphrase is published, so anyone holding these folders can sign as their meshes. Never put real data in them.',
      ].join('\n'),
    };
  },
};
