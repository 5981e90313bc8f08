/**
 * `entente observe` records a device's observation (payload JSON on stdin), `entente show`
 * prints one, and `entente verify` re-verifies every stored observation.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ForeignOriginView } from '../../app/observations/foreign-origin.js';
import { instantsOf } from '../../app/time/offsets.js';
import type { Command } from '../command.js';
import { Refusal, UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { readInputFile, refusing } from './shared.js';
import { isSha256Hex } from '../../common/atoms.js';
import { LABEL_XML_LIMITS } from '../../labels/index.js';


export const observeCommand: Command = {
  name: 'observe',
  summary: "Record a device's observation; the payload JSON is read from stdin. Prints its id.",
  usage: 'entente observe --device ID --class C --subject S --label FILE.json [--derived-from ID,… --fn NAME[@VERSION]] [--home DIR] [--json] < payload.json',
  options: {
    device: { type: 'string' },
    class: { type: 'string' },
    subject: { type: 'string' },
    label: { type: 'string' },
    'derived-from': { type: 'string' },
    fn: { type: 'string' },
  },
  run: async ({ home, values, io }) => {
    for (const option of ['device', 'class', 'subject', 'label'] as const) {
      if (typeof values[option] !== 'string' || values[option] === '') throw new UsageError(`--${option} is required (usage: ${observeCommand.usage})`);
    }
    const derivedFrom = typeof values['derived-from'] === 'string' ? values['derived-from'].split(',').map((s) => s.trim()).filter(Boolean) : [];
    const badId = derivedFrom.find((id) => !isSha256Hex(id));
    if (badId !== undefined) throw new UsageError(`--derived-from takes observation ids (64 lowercase hex), not "${badId.slice(0, 70)}".`);
    const derivation = parseFunction(values.fn);
    // A label is small (the reader refuses more than 64 KiB): reading stops there.
    const labelText = readInputFile(values.label as string, 'label', LABEL_XML_LIMITS.maxBytes);
    const payloadText = await io.readStdin();
    return withCore(home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const { id, record } = await refusing(() =>
        services.observations.observe({
          device: values.device as string,
          class: values.class as string,
          subject: values.subject as string,
          labelText,
          payloadText,
          derivedFrom,
          derivation,
        }),
      );
      return { json: { id, mesh: record.mesh, subject: record.subject, class: record.class, hlc: record.time.hlc }, text: id };
    }, passphrasePrompt(io.env, 'use the device key'));
  },
};

export const showCommand: Command = {
  name: 'show',
  summary: 'Print one stored observation (the signed record, with its verification and its standing over its lineage).',
  usage: 'entente show ID [--home DIR] [--json]',
  options: {},
  maxPositionals: 1,
  run: async ({ home, positionals }) => {
    const id = positionals[0];
    if (id === undefined || !isSha256Hex(id)) throw new UsageError('show needs an observation id (64 lowercase hex).');
    return withCore(home, async ({ services }) => {
      const { row, record, sources, verification, standing, foreign } = await refusing(async () => services.observations.show(id), id);
      const derived = services.time.derivedTime(id);
      const derivedTime = derived && instantsOf(derived);
      const verdict = verification.ok ? 'verified' : `NOT VERIFIED (${verification.reason}): ${verification.message}`;
      // Its own signature may verify while a source it rests on does not: the standing says which.
      const standingLine = standing.standing === 'verified' ? 'standing: verified (every source held and verified)' : `standing: ${standing.standing} (${standing.cause}): ${standing.message}`;
      return {
        json: { id, storedAt: row.storedAt, sources, verification, standing, foreign, derivedTime, record },
        text: [id, `stored ${row.storedAt}`, verdict, standingLine, ...(foreign ? foreignLines(foreign) : []), timeLine(record.mesh, derivedTime), JSON.stringify(record, null, 2)].join('\n'),
      };
    });
  },
};

/** When it happened in this mesh's clock (0007 "Time"): a foreign observation's time is an interval, and says so. */
function timeLine(mesh: string, time: { lo: string | null; hi: string | null } | null): string {
  if (!time || (time.lo === null && time.hi === null)) return `time here: unknown (no sample of ${mesh}'s clock held)`;
  if (time.lo !== null && time.lo === time.hi) return `time here: ${time.lo}`;
  if (time.lo !== null && time.hi !== null) return `time here: between ${time.lo} and ${time.hi} (from ${mesh}'s clock samples)`;
  return time.lo !== null ? `time here: no earlier than ${time.lo} (from ${mesh}'s clock samples)` : `time here: no later than ${time.hi} (from ${mesh}'s clock samples)`;
}

/** A foreign observation says so before anything else about it: whose, how it crossed, and under which marking here. */
function foreignLines(foreign: ForeignOriginView): string[] {
  const marking = (label: unknown) => {
    const l = label as { policy?: { id?: string }; classification?: string } | null;
    return l ? `${l.policy?.id ?? '?'} ${l.classification ?? '?'}` : 'none';
  };
  if (!foreign.federation) return [`foreign: made by ${foreign.origin}, admitted before bundles (no crossing record)`];
  return [
    `foreign: from ${foreign.origin}${foreign.partner !== foreign.origin ? ` relayed by ${foreign.partner}` : ''} under ${foreign.federation.id} v${foreign.federation.version}, carried by ${foreign.agent} in bundle ${foreign.bundle!.slice(0, 16)}… line ${foreign.line}, ${foreign.outcome} ${foreign.admittedAt}`,
    `release authority: ${foreign.releaseAuthority}; caveats: ${foreign.caveats.length > 0 ? foreign.caveats.join(', ') : 'none'}; onward release: ${foreign.onwardRelease}`,
    foreign.alternativeLabel
      ? `marking here: ${marking(foreign.alternativeLabel)} (alternative) beside the originator’s ${marking(foreign.originatorLabel)}`
      : `marking: the originator’s ${marking(foreign.originatorLabel)} (no translation needed)`,
    `attestations used: ${foreign.attestations.length > 0 ? foreign.attestations.map((a) => `${a.slice(0, 16)}…`).join(', ') : 'none'}`,
  ];
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Re-verify every stored observation: signature, chain, validity, revocation (on every core for large stores).',
  usage: 'entente verify [--threads N] [--home DIR] [--json]',
  options: { threads: { type: 'string' } },
  run: async ({ home, values }) => {
    const asked = threadsOf(values.threads);
    return withCore(home, async ({ services }) => {
      const { observations } = services;
      await refusing(async () => services.mesh.require());
      const threads = asked ?? observations.defaultVerifyThreads();
      const report = threads > 1 && existsSync(fileURLToPath(VERIFY_WORKER)) ? await observations.verifyAllOnWorkers(VERIFY_WORKER, threads) : await observations.verifyAll();
      if (report.failures.length > 0) {
        // Counts stay visible beside the failures; exit 1 tells a script something did not verify.
        throw new Refusal([
          ...report.failures,
          { reason: 'verification-summary', message: `${report.verified} of ${report.checked} observations verified; ${report.checked - report.verified} did not.` },
        ]);
      }
      return { json: { checked: report.checked, verified: report.verified, failed: 0 }, text: `${report.verified} of ${report.checked} observations verified.` };
    });
  },
};

/** Beside the CLI in dist/ (scripts/build.mjs); absent when running from sources, which then use one thread. */
const VERIFY_WORKER = new URL('./verify-worker.mjs', import.meta.url);

function threadsOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const threads = typeof value === 'string' && /^[0-9]{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!(threads >= 1 && threads <= 256)) throw new UsageError(`--threads is a number of threads from 1 to 256, not "${String(value).slice(0, 32)}".`);
  return threads;
}

function parseFunction(value: unknown): { name: string; version: string } | null {
  if (value === undefined) return null;
  const match = typeof value === 'string' ? /^([A-Za-z0-9._-]{1,128})(?:@([A-Za-z0-9._-]{1,64}))?$/.exec(value) : null;
  if (!match) throw new UsageError('--fn is NAME or NAME@VERSION, e.g. fuse-tracks@1.2.');
  return { name: match[1]!, version: match[2] ?? '1' };
}
