/**
 * The independent negentropy implementation the tests speak to: nostr-tools' NIP-77 module. It is
 * not in the package's exports and ships its types apart from its code, so both are reached by
 * file path here, once (decision 0006: tests and bench only).
 */
// @ts-expect-error -- the ESM build has no declarations beside it; they are in lib/types below.
import * as untyped from '../../node_modules/nostr-tools/lib/esm/nip77.js';
import type * as Nip77 from '../../node_modules/nostr-tools/lib/types/nip77.js';

const nip77 = untyped as typeof Nip77;
export const TheirNegentropy = nip77.Negentropy;
export const TheirStorage = nip77.NegentropyStorageVector;
export type TheirNegentropy = Nip77.Negentropy;
export type TheirStorage = Nip77.NegentropyStorageVector;
