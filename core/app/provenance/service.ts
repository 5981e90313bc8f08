/** The provenance part as the shells see it: an observation's lineage across this workspace and other meshes' exports, and the neighbourhood the console's graph draws. */
import type { AppContext } from '../context/operation.js';
import { lineageNeighbourhood, type LineageGraph, type LineageRequest } from './neighbourhood.js';
import { provenance, type ForeignExport, type Provenance } from './provenance-service.js';

export interface ProvenanceService {
  lineage(id: string, exports?: readonly ForeignExport[]): Provenance;
  /** Sources and derived observations around `ids`, `depth` steps, at most `limit` observations. */
  neighbourhood(request: LineageRequest): LineageGraph;
}

export function createProvenanceService(context: AppContext): ProvenanceService {
  return {
    lineage: (id, exports) => provenance(context.reading().read, id, exports),
    neighbourhood: (request) => lineageNeighbourhood(context.reading().read, request),
  };
}
