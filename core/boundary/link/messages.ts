/**
 * The messages of a live link (decision 0006), one per frame, each a zod strict schema: a peer's
 * message that is not exactly one of these is `malformed-message`, named with its first issue.
 * Records inside `items` are left as they came: the crossing's judge reads them (0005), as it
 * reads a bundle's lines.
 */
import { z } from 'zod';
import { describeIssues, FederationId, MeshCode, Sha256Hex } from '../../common/atoms.js';
import { Refused } from '../../common/refused.js';
import { DsseEnvelope } from '../../crypto/dsse.js';

/** At most this many records in one `items` frame, and ids in one `want`. */
export const MAX_ITEMS_PER_FRAME = 1024;
/** A frame names at most this many device certificates (one per record at worst). */
const MAX_CERTIFICATES_PER_FRAME = MAX_ITEMS_PER_FRAME;

/** Milliseconds since the epoch, as NTP's timestamps are used here (RFC 5905 §8: t1 sent, t2 received, t3 replied). */
const Millis = z.number().int().min(0).max(8.64e15);
export const ClockStamp = z.strictObject({ t1: Millis, t2: Millis.optional(), t3: Millis.optional() });
export type ClockStamp = z.infer<typeof ClockStamp>;
/**
 * The link's frame sets (0006 "Rounds"). 1: the frames as first published. 2: a client's
 * `reconcile` and `proof` may carry `echo`, the reply stamp to the server's last `reconcile`
 * (so the serving side samples the client's clock too, NTP's symmetric use, RFC 5905 §8); a
 * watching client's `reconcile` may carry `nudges`, and the server may then send `nudge` between
 * rounds. A client speaks 2 unless told 1, for a server that has not been upgraded: the schemas
 * are strict, so such a server refuses the new fields by name (`malformed-message`).
 */
export const LINK_FRAME_SETS = [1, 2] as const;
export type LinkFrameSet = (typeof LINK_FRAME_SETS)[number];
export const LINK_FRAME_SET: LinkFrameSet = 2;

/** `<federation id>:<partner mesh>`: one set per federation and direction pair (0006 "The persistent index"). */
export const Scope = z.string().max(80).refine((s) => {
  const cut = s.lastIndexOf(':');
  return cut > 0 && FederationId.safeParse(s.slice(0, cut)).success && MeshCode.safeParse(s.slice(cut + 1)).success;
}, 'expected <federation id>:<mesh code>');

const Hex = z.string().max(2 * 4 * 1024 * 1024).regex(/^(?:[0-9a-f]{2})*$/, 'expected lowercase hex');
const Pem = z.string().min(1).max(32 * 1024).regex(/^-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\n?$/, 'expected one PEM certificate');
const Reason = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'expected a reason code');

export const HelloMessage = z.strictObject({ type: z.literal('hello'), envelope: DsseEnvelope });
export const RefusedMessage = z.strictObject({ type: z.literal('refused'), reason: Reason, message: z.string().max(1000) });
/**
 * How the responder treats an id list (core/boundary/negentropy, `responderSettlesIdLists`):
 * `published` (the default when absent) answers it with its own list, as the protocol's authors
 * publish it, so every difference surfaces on the initiator; `settling` settles it on the
 * responder, as nostr-tools' NIP-77 responder does — fewer bytes, the difference split between the
 * sides, so each then pushes what it found the other lacks and asks for what it lacks, after a
 * `turn`. A mode we do not know is refused (`unknown-reconcile-mode`), not guessed at.
 */
export const RECONCILE_MODES = ['published', 'settling'] as const;
export type ReconcileMode = (typeof RECONCILE_MODES)[number];
export const ReconcileMessage = z.strictObject({
  type: z.literal('reconcile'),
  scope: Scope,
  message: Hex,
  clock: ClockStamp,
  mode: z.string().max(32).optional(),
  /** Frame set 2, client only: the reply stamp to the server's last `reconcile` not yet answered (t1 its t3, t2 its arrival here, t3 this frame leaving). */
  echo: ClockStamp.optional(),
  /** Frame set 2, a watching client on a round's first `reconcile`: it keeps the link for more rounds, and the server may `nudge` it before the next. */
  nudges: z.literal(true).optional(),
});
export const WantMessage = z.strictObject({ type: z.literal('want'), ids: z.array(Sha256Hex).max(MAX_ITEMS_PER_FRAME) });
export const ItemsMessage = z.strictObject({
  type: z.literal('items'),
  items: z.array(z.strictObject({ record: z.unknown(), certificate: Sha256Hex })).max(MAX_ITEMS_PER_FRAME),
  certificates: z.array(Pem).max(MAX_CERTIFICATES_PER_FRAME),
  clock: ClockStamp,
  /**
   * What a bundle carries besides its records (0005 "Bundles"), on the first `items` frame of a
   * direction only: the sender's CRLs, its equivalence attestations for the federation, its taint
   * notices. Each is judged by the part that owns it, as when it comes in a bundle.
   */
  crls: z.array(z.string().max(1024 * 1024)).max(64).optional(),
  attestations: z.array(z.unknown()).max(4096).optional(),
  taints: z.array(z.unknown()).max(1024).optional(),
});
const Count = z.number().int().min(0).max(MAX_ITEMS_PER_FRAME);
export const OutcomesMessage = z.strictObject({
  type: z.literal('outcomes'),
  counts: z.strictObject({ admitted: Count, duplicate: Count, rejected: Count, quarantined: Count, tainted: Count }),
});
/** Frame set 2: the client's `proof` may carry `echo`, as its `reconcile` does, for the round's last reconciliation reply. */
export const ProofMessage = z.strictObject({ type: z.literal('proof'), envelope: DsseEnvelope, echo: ClockStamp.optional() });
export const ByeMessage = z.strictObject({ type: z.literal('bye') });
/** In `settling` mode: the sender has pushed and asked for what it found, and now answers the peer's `want`s and `items` until the peer's `turn`. */
export const TurnMessage = z.strictObject({ type: z.literal('turn') });

/**
 * Frame set 2, server to a client that asked for them, between rounds only: the server's set for
 * the link's scope gained items since the last round ended, so the client should open the next
 * round now rather than at its interval. At most one outstanding: the server sends no other
 * until the client's next round opens. It carries nothing: the round that follows finds what moved.
 */
export const NudgeMessage = z.strictObject({ type: z.literal('nudge') });

export const LinkMessage = z.discriminatedUnion('type', [HelloMessage, RefusedMessage, ReconcileMessage, WantMessage, ItemsMessage, OutcomesMessage, ProofMessage, ByeMessage, TurnMessage, NudgeMessage]);
export type LinkMessage = z.infer<typeof LinkMessage>;
export type LinkMessageOf<T extends LinkMessage['type']> = Extract<LinkMessage, { type: T }>;

export const MESSAGE_TYPES = ['hello', 'refused', 'reconcile', 'want', 'items', 'outcomes', 'proof', 'bye', 'turn', 'nudge'] as const;

/** Checks a frame's JSON against the messages. @throws Refused 'malformed-message' */
export function readMessage(json: unknown): LinkMessage {
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const type = (json as { type?: unknown }).type;
    if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
      throw new Refused('malformed-message', `The peer sent a message of unknown type ${JSON.stringify(type)?.slice(0, 40) ?? 'undefined'}.`);
    }
  }
  const parsed = LinkMessage.safeParse(json);
  if (!parsed.success) throw new Refused('malformed-message', `The peer's message is malformed: ${describeIssues(parsed.error, 'message')}.`);
  return parsed.data;
}
