/** The events after which the federations views ask again: a version, signature, withdrawal or exit was recorded. */
import type { EventName } from '../../../../core/api/index.js';

export const FEDERATION_EVENTS = ['federationsChanged'] as const satisfies readonly EventName[];
