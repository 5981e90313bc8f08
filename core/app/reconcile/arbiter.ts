/**
 * The one place the picture's arbitration is chosen. Until core/reconcile/arbitration's
 * `arbitrate(...)` is merged, originator-wins (core/reconcile/picture.ts) stands in for it:
 * switching is this line.
 */
import { originatorWins, type Arbiter } from '../../reconcile/picture.js';

export const arbitrate: Arbiter = originatorWins;
