/** Cursor on Target in and out (issue 17): the gate, the event as an observation, the picture as events, stream framing. */
export { DEFAULT_STALE_MS, observationToCot, subjectToCot, type CotSubject, type SuppliedField } from './build.js';
export { CotError, type CotReason } from './errors.js';
export { COT_CLASS, COT_SUBJECT_PREFIX, COT_UNKNOWN, PROVENANCE_ELEMENT, cotToObservation, type CotObservationParts, type CotPayload, type CotPoint } from './event.js';
export { CotFramer, splitCotEvents, type CotPiece, type FramedChunk } from './framing.js';
export { COT_LIMITS, guardCotXml, type CotLimits } from './guard.js';
export { cotLibrary } from './library.js';
