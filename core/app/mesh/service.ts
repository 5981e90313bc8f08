/** The mesh part as the shells see it: giving the workspace its mesh, its identity, its card. */
import type { MeshCard } from '../../federation/declaration.js';
import type { MeshRow } from '../../store/mesh-store.js';
import type { MeshContext } from '../context/mesh-context.js';
import type { AppContext } from '../context/operation.js';
import { markingLevels, type MarkingLevels } from './marking-levels.js';
import { initMesh, type MeshInitRequest } from './mesh-init.js';
import { meshCard, meshIdentity, type MeshIdentityView } from './mesh-views.js';

export interface MeshService {
  init(request: MeshInitRequest): Promise<MeshRow>;
  /** Who this workspace is; refused ('no-mesh') before `mesh init`. */
  require(): MeshContext;
  identity(): MeshIdentityView;
  card(): MeshCard;
  /** The display markings the console's classification banner ranks, on the NATO scale. */
  markingLevels(): MarkingLevels;
}

export function createMeshService(context: AppContext): MeshService {
  return {
    init: (request) => initMesh(context.writing(), request),
    require: () => context.reading().mesh(),
    identity: () => meshIdentity(context.reading()),
    card: () => meshCard(context.reading()),
    markingLevels: () => markingLevels(context.reading()),
  };
}
