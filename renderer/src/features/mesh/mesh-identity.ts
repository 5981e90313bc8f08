/** Which mesh this workspace stands for and who is enrolled in it: asked again when the mesh changes (initialised, enrolment, revocation). */
import type { EventName } from '../../../../core/api/index.js';
import { useContract } from '../../shared/use-contract.js';

export const MESH_EVENTS = ['meshChanged'] as const satisfies readonly EventName[];

export function useMeshIdentity() {
  return useContract('getMeshIdentity', {}, { refreshOn: MESH_EVENTS });
}
