/**
 * A crossing row's terms (migration 0015): its alternative label, translations, attestations
 * used, caveats and onward release, kept once per distinct value in `crossing_terms` and named
 * by the SHA-256 of their texts, which is what the crossings row holds.
 */
import { createHash } from 'node:crypto';

export interface CrossingTerms {
  readonly alternativeLabel: string | null;
  readonly translations: string;
  readonly attestations: string;
  readonly caveats: string;
  readonly onwardRelease: string;
}

/**
 * SHA-256 over the five texts as one JSON array: JSON.stringify of strings and null is their
 * RFC 8785 form (§3.2.2.2 takes ECMAScript's string serialization), so the key has one spelling.
 */
export function crossingTermsKey(terms: CrossingTerms): Buffer {
  return createHash('sha256').update(termsText(terms)).digest();
}

/** The text the key is the hash of: also what an admission remembers keys by. */
export function termsText(terms: CrossingTerms): string {
  return JSON.stringify([terms.alternativeLabel, terms.translations, terms.attestations, terms.caveats, terms.onwardRelease]);
}
