/** Why a store file could not be opened; each reason is named so shells can report it. */
export class StoreOpenError extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'not-sqlite' | 'foreign-database' | 'newer-schema' | 'unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}
