/**
 * nostr-tools' NIP-77 module, the independent negentropy implementation the bench measures
 * against (decision 0006). Not in the package's exports and typed apart from its code, so it is
 * reached by file path here (core/test-support/nip77.ts does the same for the tests; the bench
 * may not import test support).
 */
// @ts-expect-error -- the ESM build has no declarations beside it; they are in lib/types below.
import * as untyped from '../node_modules/nostr-tools/lib/esm/nip77.js';
import type * as Nip77 from '../node_modules/nostr-tools/lib/types/nip77.js';

const nip77 = untyped as typeof Nip77;
export const TheirNegentropy = nip77.Negentropy;
export const TheirStorage = nip77.NegentropyStorageVector;
