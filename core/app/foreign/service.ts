/** The foreign part as the shells see it: admitting a partner's observation under an active federation. */
import type { AppContext } from '../context/operation.js';
import { admitForeignObservation, type ForeignObservation } from './foreign-service.js';

export interface ForeignService {
  /** Verifies, judges and stores a partner's observation, recording the crossing; refused, nothing is written. */
  admit(input: ForeignObservation): Promise<{ id: string; federation: string; version: number }>;
}

export function createForeignService(context: AppContext): ForeignService {
  return { admit: (input) => admitForeignObservation(context.writing(), input) };
}
