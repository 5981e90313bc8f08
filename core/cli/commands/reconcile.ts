/**
 * `entente picture`, `entente queue list|show|decide`, `entente replay` (docs/decisions/0007):
 * the joint picture with its digest and per-field provenance, the queue of held divergences,
 * an operator's signed decision on one, and what a draft policy would have changed.
 */
import type { DecisionAction } from '../../reconcile/decision.js';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { readInputFile, refusing } from './shared.js';

const HEX64 = /^[0-9a-f]{64}$/;

export const pictureCommand: Command = {
  name: 'picture',
  summary: 'Show the joint picture: its digest, the subjects, and per field the observation and mesh that supplied it.',
  usage: 'entente picture [--subject S | --prefix P] [--state merged|held] [--limit N] [--home DIR] [--json]',
  options: { subject: { type: 'string' }, prefix: { type: 'string' }, state: { type: 'string' }, limit: { type: 'string' } },
  run: async (context) => {
    const subject = typeof context.values.subject === 'string' ? context.values.subject : undefined;
    const subjectPrefix = typeof context.values.prefix === 'string' ? context.values.prefix : undefined;
    const state = context.values.state;
    if (state !== undefined && state !== 'merged' && state !== 'held') throw new UsageError('--state is merged or held.');
    if (subject !== undefined && (subjectPrefix !== undefined || state !== undefined)) throw new UsageError('--subject names one subject: it takes no --prefix or --state.');
    const limit = positiveInt(context.values.limit, '--limit', 100);
    return withCore(context.home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const picture = await refusing(async () =>
        services.reconcile.picture({ ...(subject === undefined ? {} : { subject }), ...(subjectPrefix === undefined ? {} : { subjectPrefix }), ...(state === undefined ? {} : { state }), limit }),
      );
      const filtered = subjectPrefix !== undefined || state !== undefined;
      const lines = [
        `Picture digest ${picture.digest}`,
        `${picture.subjects} subject(s), ${picture.held} held, ${picture.queueOpen} queue item(s) open.`,
        ...(filtered ? [`${picture.matching} subject(s) match${picture.matching > picture.items.length ? `; the first ${picture.items.length} shown (--limit)` : ''}.`] : []),
        ...(picture.pending > 0 ? [`${picture.pending} subject(s) wait for a bundle import to bring them up to date (an import under way, or the next one after an import that was stopped).`] : []),
        ...picture.items.flatMap((s) => [
          `${s.subject}  ${s.state}${s.divergence > 0 ? `  divergence ${s.divergence.toFixed(3)}` : ''}${s.state === 'held' && s.item ? `  queue ${s.item}` : ''}`,
          ...s.fields.map((f) => `  ${f.field} = ${JSON.stringify(f.value)}  from ${f.mesh} ${f.observation.slice(0, 16)}…${f.arbitrated ? `  arbitrated: ${f.arbitrated.why}` : ''}`),
        ]),
      ];
      return { json: { picture }, text: lines.join('\n') };
    });
  },
};

export const queueListCommand: Command = {
  name: 'queue list',
  summary: 'List the queue: divergences held for a person and clashes between partners’ decisions (--all: the closed too).',
  usage: 'entente queue list [--all] [--home DIR] [--json]',
  options: { all: { type: 'boolean' } },
  run: async (context) =>
    withCore(context.home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const queue = services.reconcile.queue({ all: context.values.all === true });
      return {
        json: queue,
        text:
          queue.items.length === 0
            ? 'The queue is empty.'
            : queue.items.map((q) => `${q.id}  ${q.kind} ${q.status}  ${q.subject}  score ${q.score.toFixed(3)} on ${q.fields.join(', ')}  cause ${q.cause}`).join('\n'),
      };
    }),
};

export const queueShowCommand: Command = {
  name: 'queue show',
  summary: 'Show one queue item: the competing histories, the cause estimate with its reasons, what the policy would choose.',
  usage: 'entente queue show ITEM [--home DIR] [--json]',
  options: {},
  maxPositionals: 1,
  run: async (context) => {
    const [id] = context.positionals;
    if (typeof id !== 'string' || !HEX64.test(id)) throw new UsageError('Name the queue item by its id (64 hex digits).');
    return withCore(context.home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const item = await refusing(async () => services.reconcile.item(id));
      const lines = [
        `${item.id}  ${item.kind} ${item.status}  ${item.subject}  score ${item.score.toFixed(3)}`,
        `Fields in conflict: ${item.fields.join(', ') || '—'}`,
        `Cause: ${item.cause}`,
        ...item.reasons.map((r) => `  ${r}`),
        'Competing:',
        ...item.competing.map((c) => `  ${c.id}  ${c.mesh} ${c.device}  stated ${c.statedAt}  ${JSON.stringify(c.payload)}`),
        'The policy would choose:',
        ...Object.entries(item.policyChoice).map(([field, choice]) => `  ${field}: ${choice.observation.slice(0, 16)}… (${choice.why})`),
        ...(item.decision ? [`Decided by ${item.decision}`] : []),
      ];
      return { json: { item }, text: lines.join('\n') };
    });
  },
};

export const queueDecideCommand: Command = {
  name: 'queue decide',
  summary: 'Decide a queue item (choose one side, merge field by field, reject or escalate), signed by an operator.',
  usage: 'entente queue decide --item ITEM (--choose OBS | --merge FIELD=OBS,… | --reject | --escalate) --reason TEXT --operator ID [--label FILE] [--home DIR] [--json]',
  options: { item: { type: 'string' }, choose: { type: 'string' }, merge: { type: 'string' }, reject: { type: 'boolean' }, escalate: { type: 'boolean' }, reason: { type: 'string' }, operator: { type: 'string' }, label: { type: 'string' } },
  run: async (context) => {
    const request = decisionRequest(context);
    return withCore(
      context.home,
      async ({ services }) => {
        await refusing(async () => services.mesh.require());
        const { id, item, staysHere } = await refusing(() => services.reconcile.decide(request));
        const warning = staysHere.length === 0 ? '' : `\nWarning: no federation in force lets class decision cross to ${staysHere.join(', ')}; their pictures will not converge on this decision until a declaration version lets it.`;
        return { json: { decision: id, item, staysHere }, text: `Decided ${item.id} (${request.action}) as observation ${id}, signed by operator ${request.operator}; the item is ${item.status}.${warning}` };
      },
      passphrasePrompt(context.io.env, 'sign the decision with the operator’s key'),
    );
  },
};

function decisionRequest(context: CommandContext) {
  const { item, choose, merge, reject, escalate, reason, operator, label } = context.values;
  if (typeof item !== 'string' || !HEX64.test(item)) throw new UsageError('--item needs the queue item id (64 hex digits).');
  const actions = [choose !== undefined && 'choose', merge !== undefined && 'merge', reject === true && 'reject', escalate === true && 'escalate'].filter((a): a is DecisionAction => a !== false);
  if (actions.length !== 1) throw new UsageError('Give exactly one of --choose OBS, --merge FIELD=OBS,…, --reject or --escalate.');
  if (typeof operator !== 'string' || operator.length === 0) throw new UsageError('--operator needs the enrolled operator who decides (their key signs).');
  if (typeof reason !== 'string' || reason.trim().length === 0) throw new UsageError('--reason needs the reason for the decision.');
  const action = actions[0]!;
  if (action === 'choose' && (typeof choose !== 'string' || !HEX64.test(choose))) throw new UsageError('--choose needs the observation id (64 hex digits) to keep.');
  return {
    item,
    action,
    ...(action === 'choose' ? { choose: choose as string } : {}),
    ...(action === 'merge' ? { merge: parseMerge(merge) } : {}),
    reason,
    operator,
    ...(typeof label === 'string' ? { labelText: readInputFile(label, 'label', 64 * 1024) } : {}),
  };
}

/** `FIELD=OBS,FIELD=OBS`: each field once, each id 64 hex digits. */
function parseMerge(value: unknown): Record<string, string> {
  if (typeof value !== 'string' || value.length === 0) throw new UsageError('--merge needs FIELD=OBS pairs, comma-separated.');
  const merge: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const at = pair.lastIndexOf('=');
    const field = pair.slice(0, at);
    const id = pair.slice(at + 1);
    if (at <= 0 || !HEX64.test(id)) throw new UsageError(`--merge: "${pair.slice(0, 80)}" is not FIELD=OBS with a 64-hex-digit id.`);
    if (Object.hasOwn(merge, field)) throw new UsageError(`--merge names field ${field.slice(0, 64)} twice.`);
    merge[field] = id;
  }
  return merge;
}

export const replayCommand: Command = {
  name: 'replay',
  summary: 'Replay a period, or one past decision, under a draft declaration’s arbitration, in memory, and list the fields whose winner would differ.',
  usage: 'entente replay --policy FILE [--from T --to T] [--decision ID] [--home DIR] [--json]',
  options: { policy: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, decision: { type: 'string' } },
  run: async (context) => {
    const { policy, decision } = context.values;
    if (typeof policy !== 'string' || policy.length === 0) throw new UsageError('--policy needs the draft declaration file (JSON).');
    if (decision !== undefined && (typeof decision !== 'string' || !HEX64.test(decision))) throw new UsageError('--decision needs the decision’s observation id (64 hex digits).');
    const from = instant(context.values.from, '--from');
    const to = instant(context.values.to, '--to');
    const policyText = readInputFile(policy, 'policy', 4 * 1024 * 1024);
    return withCore(context.home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const report = await refusing(async () => services.reconcile.replay({ policyText, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(typeof decision === 'string' ? { decision } : {}) }));
      const lines = [
        `Replayed ${report.subjects} subject(s), ${report.observations} observation(s): ${report.differences.length} difference(s).`,
        ...report.differences.map((d) => `  ${d.subject}${d.field === null ? '' : ` ${d.field}`}: ${d.current.observation?.slice(0, 16) ?? '—'} (${d.current.state}) → ${d.replayed.observation?.slice(0, 16) ?? '—'} (${d.replayed.state})`),
      ];
      return { json: { replay: report }, text: lines.join('\n') };
    });
  },
};

function instant(value: unknown, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new UsageError(`${name} needs an ISO 8601 time such as 2026-06-01T10:00:00Z.`);
  return at;
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^[1-9][0-9]{0,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n > 1000) throw new UsageError(`${name} is a whole number from 1 to 1000.`);
  return n;
}
