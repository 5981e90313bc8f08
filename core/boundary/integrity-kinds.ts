/**
 * The kinds of integrity event this core records (docs/decisions/0005-crossing.md), written once
 * for the core, the CLI and the console's filter. Kinds are open: a part may record a kind not
 * listed here (any reason code), but every kind the crossing names is listed, so a filter can
 * offer them. A module without imports, so the renderer may import it like the log's entry types.
 */
export const INTEGRITY_EVENT_KINDS = [
  // The hello and the agent's credentials (0005 "Discovery").
  'unknown-agent',
  'not-certified-here',
  'federation-mismatch',
  'agent-revoked',
  'replayed-hello',
  // A record's own device credential: revoked at or before it was made, or not one its mesh issued to that device.
  'revoked-credential',
  'unknown-credential',
  // Bundles.
  'tampered-bundle',
  'bundle-changed',
  // Release control and translation.
  'over-release',
  'translation-loss',
  'bad-attestation',
  // Taint and purge.
  'taint',
  'purged-redelivery',
  // A partner CRL that does not verify against the partner's CA as its card names it.
  'untrusted-crl',
  // The trusted clock (core/app/context/clock.ts).
  'clock-jump',
  // Live links (docs/decisions/0006-live-links.md): a link refused at the handshake or a frame, and a silence no window declared.
  'link-refused',
  'undeclared-silence',
  // Mesh-derived time (docs/decisions/0007-reconciliation.md): a partner's clock samples whose intervals do not meet.
  'clock-samples-contradict',
  // The mesh clock (0007): a partner's observation stamped further ahead of our clock than its receive rule accepts.
  'clock-too-far-ahead',
] as const;

export type KnownIntegrityEventKind = (typeof INTEGRITY_EVENT_KINDS)[number];

/** A kind is a reason code: lowercase letters, digits and hyphens, as the log's `why.reasons` are. */
export const INTEGRITY_KIND_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;
