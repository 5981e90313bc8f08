/**
 * Pinned trust anchors: a mesh code, once a home knows it with an anchor, stays that anchor in
 * every federation. Another anchor for a known code is refused by name, unless the declaration
 * is a key rotation of a version already on record (whose signatures then need both keys).
 */
import type { Declaration } from './declaration.js';

/** mesh code → SHA-256 of the trust anchor this home knows it by. */
export type PinnedAnchors = ReadonlyMap<string, string>;

export type PinCheck = { readonly ok: true } | { readonly ok: false; readonly reason: 'pinned-anchor' | 'duplicate-authority'; readonly message: string };

const short = (sha256: string) => `${sha256.slice(0, 16)}…`;

/**
 * Judges each partner's anchor against the pins. `previous` is the version before this one in
 * the same federation, if any: a partner whose pinned anchor it carried may rotate here.
 */
export function checkPinnedAnchors(declaration: Declaration, pins: PinnedAnchors, previous: Declaration | null): PinCheck {
  const meshOfAnchor = new Map([...pins].map(([mesh, anchor]) => [anchor, mesh]));
  for (const partner of declaration.partners) {
    const anchor = partner.card.trustAnchor.sha256;
    const pinned = pins.get(partner.mesh);
    if (pinned !== undefined && pinned !== anchor) {
      const rotating = previous?.partners.find((p) => p.mesh === partner.mesh)?.card.trustAnchor.sha256 === pinned;
      if (!rotating) {
        return {
          ok: false,
          reason: 'pinned-anchor',
          message: `Federation ${declaration.id} gives ${partner.mesh} trust anchor ${short(anchor)}, but this home knows ${partner.mesh} by ${short(pinned)}; a new anchor is accepted only as a rotation signed by the old and the new key.`,
        };
      }
    }
    const owner = meshOfAnchor.get(anchor);
    if (owner !== undefined && owner !== partner.mesh) {
      return { ok: false, reason: 'duplicate-authority', message: `Federation ${declaration.id} seats trust anchor ${short(anchor)} as ${partner.mesh}, but this home knows it as ${owner}'s; one authority cannot sit in two seats.` };
    }
  }
  return { ok: true };
}
