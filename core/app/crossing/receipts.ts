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
import { insertReceipt, readBundleExport, writeExportCursor } from '../../store/crossing-store.js';
import { authorityActor } from '../context/log.js';
import type { Operation } from '../context/operation.js';
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
 * The receipt's body, once a signature of the partner authority it names verifies: the sender is
 * read from the unverified body only to choose whose card's keys to try.
 */
function signedReceipt(db: ReadDb, candidate: unknown, now: Date): ReceiptBody {
  const claimed = claimedSigner(candidate);
  const card = claimed && partnerCard(db, claimed.from);
  if (!claimed || !card) throw new Refused('unknown-partner', 'The receipt names no partner of this mesh as its signer.');
  for (const keyid of claimed.keyids) {
    const key = cardAuthority(card)(keyid, now);
    if (key.ok) return readReceipt(candidate, { keyid, key: key.publicKey });
  }
  throw new Refused('bad-receipt-signature', `No signature on the receipt is by ${claimed.from}'s authority as its card names it.`);
}

function claimedSigner(candidate: unknown): { from: string; keyids: string[] } | undefined {
  try {
    const envelope = candidate as { payload: string; signatures: { keyid: string }[] };
    const from = (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { from?: unknown }).from;
    const keyids = envelope.signatures.map((s) => s.keyid).filter((k) => typeof k === 'string').slice(0, 16);
    return typeof from === 'string' ? { from, keyids } : undefined;
  } catch {
    return undefined;
  }
}
