/** The provenance part as the shells see it: an observation's lineage across this workspace and other meshes' exports, the neighbourhood the console's graph draws, and the after-action export of a search. */
import { distinctLabels } from '../../store/lineage-store.js';
import type { LongOperationControl } from '../audit/stepwise.js';
import type { PassphraseSource } from '../context/keyring.js';
import type { AppContext } from '../context/operation.js';
import { storedMarkings } from '../observations/stored-marking.js';
import { buildAfterAction, type AfterActionExport } from './after-action.js';
import type { ProvenanceSearch } from './after-action-format.js';
import { lineageNeighbourhood, type LineageGraph, type LineageRequest } from './neighbourhood.js';
import { provenance, type ForeignExport, type Provenance } from './provenance-service.js';

export interface ProvenanceService {
  lineage(id: string, exports?: readonly ForeignExport[]): Provenance;
  /** Sources and derived observations around `ids`, `depth` steps, at most `limit` observations, with the display markings of those held. */
  neighbourhood(request: LineageRequest): LineageGraph & { readonly markings: string[] };
  /**
   * The after-action bundle and HTML report of what `search` finds, signed by the mesh authority
   * (its key opened with `passphrase` for this call, when given); progress and cancel by `control`.
   */
  afterAction(search: ProvenanceSearch, control?: LongOperationControl, passphrase?: PassphraseSource): Promise<AfterActionExport>;
}

export function createProvenanceService(context: AppContext): ProvenanceService {
  return {
    lineage: (id, exports) => provenance(context.reading().read, id, exports),
    neighbourhood: (request) => {
      const op = context.reading();
      const graph = lineageNeighbourhood(op.read, request);
      // The graph shows subjects of classified observations: the banner rises to their highest marking (issue 16).
      const held = graph.nodes.filter((n) => n.found === 'held' && n.id === n.observation).map((n) => n.id);
      const markingOf = storedMarkings(op);
      return { ...graph, markings: [...new Set(distinctLabels(op.read, held).map(markingOf))].sort() };
    },
    afterAction: async (search, control, passphrase) => {
      const signer = (await context.writing(passphrase).log()).signer;
      return buildAfterAction(context.reading(), signer, search, control);
    },
  };
}
