/** Negentropy protocol version 1 (decision 0006): items, codec, fingerprints, the reconciler. */
export { compareItems, FINGERPRINT_SIZE, ID_SIZE, INFINITE_TIMESTAMP, PROTOCOL_VERSION, type Bound, type Item } from './items.js';
export { encodeVarint, MessageReader } from './varint.js';
export { fingerprintOf, IdSum } from './fingerprint.js';
export { MemoryStorage, type NegentropyStorage } from './storage.js';
export { DEFAULT_FRAME_SIZE_LIMIT, isProbe, MAX_ROUNDS, MIN_FRAME_SIZE_LIMIT, Negentropy, type NegentropyOptions, type ReconcileResult } from './reconciler.js';
