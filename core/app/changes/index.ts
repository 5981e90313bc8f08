/** The changes part: finds what changed in the store, by any process, and says so per part. */
export { createChangeWatcher, DEFAULT_INTERVAL_MS, type ChangeWatcher, type ChangeWatcherOptions, type Timers, type Watched } from './change-watcher.js';
export { FEDERATION_IDS, NEWEST_IDS, type Change } from './changes.js';
