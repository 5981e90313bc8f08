/** The reconciliation app part (docs/decisions/0007): the picture kept on insert, the queue, decisions, replay. */
export { decide, DECISION_DERIVATION, type DecideRequest } from './decide.js';
export { keepPicture, keepPictureOfSubjects, rebuildPicture, type PictureChange } from './keep.js';
export { replay, type ReplayDifference, type ReplayReport, type ReplayRequest } from './replay.js';
export { rulesInForce, rulesOf, DEFAULT_RULES } from './rules.js';
export { createReconcileService, type ReconcileService } from './service.js';
export { pictureView, queueItemView, queueViews, type PictureView, type QueueItemView } from './views.js';
