/** The provenance part as the shells see it: an observation's lineage across this workspace and other meshes' exports. */
import type { AppContext } from '../context/operation.js';
import { provenance, type ForeignExport, type Provenance } from './provenance-service.js';

export interface ProvenanceService {
  lineage(id: string, exports?: readonly ForeignExport[]): Provenance;
}

export function createProvenanceService(context: AppContext): ProvenanceService {
  return { lineage: (id, exports) => provenance(context.reading().read, id, exports) };
}
