/**
 * The kinds of entry the reconciliation log records (docs/decisions/0003-reconciliation-log.md),
 * written once for the core, the contract and the console's filter. A module without imports:
 * the renderer may import it (the one runtime import eslint.config.js allows it from core/).
 */
export const AUDIT_ENTRY_TYPES = [
  'crossing',
  'translation',
  'ordering',
  'arbitration',
  'quarantine',
  'rejection',
  'decision',
  'federation',
  'purge',
  'integrity',
  'credential',
  'observation',
  'witness',
] as const;
