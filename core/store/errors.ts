/** Why a store file could not be opened; each reason is named so shells can report it. */
import { Refused } from '../common/refused.js';

export class StoreOpenError extends Refused {
  declare readonly reason: 'not-sqlite' | 'foreign-database' | 'newer-schema' | 'unreadable';

  constructor(
    readonly path: string,
    reason: 'not-sqlite' | 'foreign-database' | 'newer-schema' | 'unreadable',
    message: string,
  ) {
    super(reason, message);
    this.name = 'StoreOpenError';
  }
}
