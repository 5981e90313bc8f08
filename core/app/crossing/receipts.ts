/**
 * Receipts back at the sender (`entente receipt import`): the partner's authority signed what
 * its import of one of our bundles admitted, and we keep it, so "what did the partner actually
 * admit" is provable from our own log. The receipt must be for a bundle we exported to that
 * partner and account for every observation it carried; only then does the partner's cursor
 * move past that bundle.
 */
import { JsonError, readStrictJson } from '../../canonical/strict-json.js';
import { Refused } from '../../common/refused.js';
import { readReceipt, type ReceiptBody } from '../../boundary/bundle/receipt.js';
import type { ReadDb } from '../../store/database.js';
import { cardAuthority } from '../../federation/card.js';
import type { MeshCard } from '../../federation/declaration.js';
import { insertReceipt, readBundleExport, writeExportCursor } from '../../store/crossing-store.js';
import { authorityActor } from '../context/log.js';
import type { Operation } from '../context/operation.js';
import { federationRecords } from '../federations/federation-records.js';
import { partnerCard } from '../federations/partner-chains.js';

export interface ReceiptSummary {
  readonly bundle: string;
  readonly partner: string;
  readonly federation: string;
  readonly counts: { readonly admitted: number; readonly duplicate: number; readonly rejected: number; readonly quarantined: number; readonly tainted: number };
  readonly admittedRoot: string;
  readonly refused: readonly { readonly id: string; readonly reason: string }[];
  /** False when this receipt was already on record (nothing changed). */
  readonly recorded: boolean;
}

export async function importReceipt(op: Operation, text: string): Promise<ReceiptSummary> {
  const db = op.write;
  const { mesh } = op.mesh();
  const now = op.clock.advance(db);
  let candidate: unknown;
  try {
    candidate = readStrictJson(text, { maxBytes: 64 * 1024 * 1024, maxDepth: 8 });
  } catch (error) {
    if (error instanceof JsonError) throw new Refused('malformed-receipt', `The receipt is not usable JSON: ${error.message}`);
    throw error;
  }
  const body = signedReceipt(db, candidate, now);
  if (body.to !== mesh.code) throw new Refused('wrong-recipient', `The receipt is addressed to ${body.to}, not to ${mesh.code}.`);
  const exported = readBundleExport(db, body.bundle);
  if (!exported || exported.partner !== body.from) throw new Refused('unknown-bundle', `The receipt is for bundle ${body.bundle.slice(0, 16)}…, which ${mesh.code} did not export to ${body.from}.`);
  const counts = body.counts;
  const accounted = counts.admitted + counts.duplicate + counts.rejected + counts.quarantined + counts.tainted;
  if (accounted !== exported.observations || body.admitted.count !== counts.admitted + counts.tainted) {
    throw new Refused('receipt-mismatch', `The receipt accounts for ${accounted} observations; bundle ${body.bundle.slice(0, 16)}… carried ${exported.observations}.`);
  }
  const log = await op.log();
  const recorded = db.transaction(() => {
    const added = insertReceipt(db, { bundle: body.bundle, partner: body.from, envelope: JSON.stringify(candidate), ...counts, receivedAt: now.toISOString() });
    if (!added) return false;
    writeExportCursor(db, body.from, exported.federation, exported.cursorTo, now.toISOString());
    log.append(
      [
        {
          type: 'crossing',
          who: authorityActor(mesh),
          what: { ids: [], federation: exported.federation, detail: { partner: body.from, bundle: body.bundle, ...counts, admittedRoot: body.admitted.root, refused: body.refused.length } },
          why: { reasons: ['receipt'], text: `${body.from} admitted ${counts.admitted + counts.tainted} of ${exported.observations} from bundle ${body.bundle.slice(0, 16)}… (${counts.rejected} refused, ${counts.quarantined} quarantined).` },
        },
      ],
      now,
    );
    return true;
  })();
  return { bundle: body.bundle, partner: body.from, federation: exported.federation, counts, admittedRoot: body.admitted.root, refused: body.refused, recorded };
}

/**
 * The receipt's body, once a signature of a partner authority verifies: the keyids the envelope
 * names are looked up among the partners' cards (a hint only, as DSSE says); the body then must
 * name that partner as its sender.
 */
function signedReceipt(db: ReadDb, candidate: unknown, now: Date): ReceiptBody {
  const keyids = claimedKeyids(candidate);
  for (const { mesh, card } of partnerCards(db)) {
    for (const keyid of keyids) {
      const key = cardAuthority(card)(keyid, now);
      if (!key.ok) continue;
      const body = readReceipt(candidate, { keyid, key: key.publicKey });
      if (body.from !== mesh) throw new Refused('bad-receipt-signature', `The receipt says it is from ${body.from}, but ${mesh}'s authority signed it.`);
      return body;
    }
  }
  if (keyids.length === 0) throw new Refused('malformed-receipt', 'The receipt is not a signed envelope: it names no signature.');
  throw new Refused('bad-receipt-signature', 'No signature on the receipt is by a partner authority as the partners\' cards name them.');
}

function claimedKeyids(candidate: unknown): string[] {
  const signatures = (candidate as { signatures?: unknown } | null)?.signatures;
  if (!Array.isArray(signatures)) return [];
  return signatures.slice(0, 16).flatMap((s) => (typeof (s as { keyid?: unknown })?.keyid === 'string' ? [(s as { keyid: string }).keyid] : []));
}

/** Every partner mesh's newest card on record. */
function partnerCards(db: ReadDb): { mesh: string; card: MeshCard }[] {
  const meshes = new Set(federationRecords(db).flatMap((r) => r.versions.at(-1)!.declaration.partners.map((p) => p.mesh)));
  return [...meshes].flatMap((mesh) => {
    const card = partnerCard(db, mesh);
    return card ? [{ mesh, card }] : [];
  });
}
