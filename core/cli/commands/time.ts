/**
 * `entente time offsets`: each partner's clock offset interval (their clock minus ours, from the
 * samples its links and bundles gave, docs/decisions/0007-reconciliation.md "Time"), the samples it
 * rests on and their age; a contradiction among them is said.
 *
 * `entente time confirm`: after the workstation clock jumped past the last trusted time by more
 * than the bound, an operator who has checked the clock says it is right; the trusted time rises
 * to it, the confirmation is logged, and the exits the jump held run.
 */
import { isMeshCode } from '../../common/atoms.js';
import type { PartnerOffset } from '../../app/time/offsets.js';
import type { Command } from '../command.js';
import { UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { refusing } from './shared.js';

export const timeConfirmCommand: Command = {
  name: 'time confirm',
  summary: 'Confirm the workstation clock after a jump: it becomes the trusted time and the exits it held run.',
  usage: 'entente time confirm [--home DIR] [--json]',
  options: {},
  run: async (context) =>
    withCore(
      context.home,
      async ({ services }) => {
        await refusing(async () => services.mesh.require());
        const { confirmed, exited } = await refusing(async () => services.federations.confirmClock());
        if (!confirmed) {
          return { json: { confirmed: false, trustedTime: services.context.reading().clock.now().toISOString(), exited: [] }, text: 'The clock is within the bound of the last trusted time: nothing to confirm.' };
        }
        const [from, to] = [confirmed.from.toISOString(), confirmed.to.toISOString()];
        return {
          json: { confirmed: true, from, to, exited },
          text: [`Confirmed the workstation clock: the trusted time moved from ${from} to ${to}.`, exited.length > 0 ? `Exits run: ${exited.join(', ')}.` : 'No exit was held.'].join('\n'),
        };
      },
      passphrasePrompt(context.io.env, 'record the confirmation with the mesh’s issuing key'),
    ),
};

export const timeOffsetsCommand: Command = {
  name: 'time offsets',
  summary: "Each partner's clock offset interval (their clock minus ours), the samples it rests on and their age.",
  usage: 'entente time offsets [--partner MESH] [--home DIR] [--json]',
  options: { partner: { type: 'string' } },
  run: async ({ home, values }) => {
    const partner = values.partner;
    if (partner !== undefined && !isMeshCode(partner)) throw new UsageError(`--partner is a mesh code such as NLD, not "${String(partner).slice(0, 32)}".`);
    return withCore(home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const offsets = services.time.offsets(partner as string | undefined);
      return {
        json: { offsets: offsets.map(offsetJson) },
        text: offsets.length === 0 ? 'No partner: this mesh holds no federation and no clock sample.' : offsets.flatMap(offsetLines).join('\n'),
      };
    });
  },
};

/** Infinity does not cross JSON: an unbounded side is null. */
const bound = (ms: number) => (Number.isFinite(ms) ? ms : null);
const boundsOf = (interval: { lo: number; hi: number }) => ({ lo: bound(interval.lo), hi: bound(interval.hi) });

function offsetJson(offset: PartnerOffset) {
  return { ...offset, interval: boundsOf(offset.interval), samples: offset.samples.map((s) => ({ ...s, interval: boundsOf(s.interval) })) };
}

function offsetLines(offset: PartnerOffset): string[] {
  const head = `${offset.partner}: their clock minus ours ${intervalText(offset.interval)}; ${offset.samples.length} sample(s)${offset.ageMs === null ? '' : `, newest ${duration(offset.ageMs)} old`}; drift bound ${offset.driftPpm} ppm`;
  const lines = [head];
  if (offset.contradiction) lines.push(`  contradiction: samples ${offset.contradiction.first} and ${offset.contradiction.second} cannot both be true; the newest alone is used`);
  for (const s of offset.samples) {
    const stamps = s.kind === 'link' ? `t1 ${s.t1} t2 ${s.t2} t3 ${s.t3} t4 ${s.t4}` : `written ${new Date(s.t3).toISOString()} (theirs), admitted ${new Date(s.t4).toISOString()} (ours)`;
    lines.push(`  ${s.key.padEnd(12)} ${s.federation}  ${stamps}  ${intervalText(s.interval)}  ${duration(s.ageMs)} old`);
  }
  return lines;
}

/** "between +2 h 00 min 00.010 s and +2 h 00 min 00.031 s", "at least …", "unknown". */
export function intervalText(interval: { lo: number; hi: number }): string {
  const [lo, hi] = [Number.isFinite(interval.lo), Number.isFinite(interval.hi)];
  if (lo && hi) return `between ${signed(interval.lo)} and ${signed(interval.hi)}`;
  if (lo) return `at least ${signed(interval.lo)}`;
  if (hi) return `at most ${signed(interval.hi)}`;
  return 'unknown (no sample)';
}

function signed(ms: number): string {
  return `${ms < 0 ? '-' : '+'}${duration(Math.abs(ms))}`;
}

function duration(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = ((ms % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return hours > 0 ? `${hours} h ${String(minutes).padStart(2, '0')} min ${seconds} s` : minutes > 0 ? `${minutes} min ${seconds} s` : `${seconds} s`;
}
