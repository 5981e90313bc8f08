/**
 * The one place the picture's arbitration is chosen: the declared arbitration of
 * core/reconcile/arbitration (originator-wins in core/reconcile/picture.ts stood in for it).
 */
import { arbitrate as declared } from '../../reconcile/arbitration/index.js';
import type { Arbiter } from '../../reconcile/picture.js';

export const arbitrate: Arbiter = declared;
