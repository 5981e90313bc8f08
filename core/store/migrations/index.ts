/** Every migration, in order. A new one is a new numbered file plus one line here. */
import { migration0001 } from './0001-workspace-meta.js';
import type { Migration } from '../migrate.js';

export const migrations: readonly Migration[] = [migration0001];
