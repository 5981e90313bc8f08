/**
 * Building the after-action export (issue 16, "Provenance browser"): the observations a search
 * finds, each chain walked across meshes (provenance-service.ts), this mesh's log entries about
 * every id of the chains proven in the head checkpoint (the audit bundle, selected by ids), the
 * records, and the authority's after-action statement over all of it (after-action-format.ts);
 * with the readable HTML report beside it (after-action-html.ts). In slices, with progress and a
 * cancel: the console follows it with a progress bar.
 */
import { MAX_EXPORT_IDS } from '../../audit/export-statement.js';
import { Refused } from '../../common/refused.js';
import { countObservations, listObservations, readObservation, type ObservationFilter } from '../../store/observation-store.js';
import { buildBundleStepwise } from '../audit/audit-export.js';
import { Stepper, type LongOperationControl } from '../audit/stepwise.js';
import type { LogSigner } from '../context/log.js';
import type { ReadOperation } from '../context/operation.js';
import { MAX_SELECTED, ProvenanceSearch, signAfterAction, type AfterActionBundle } from './after-action-format.js';
import { renderAfterActionReport, type ReportedChain } from './after-action-html.js';
import { afterActionFacts } from './after-action-facts.js';
import { provenance, type ProvenanceNode } from './provenance-service.js';

export interface AfterActionExport {
  readonly bundle: AfterActionBundle;
  /** The bundle as written to its file. */
  readonly text: string;
  readonly html: string;
}

/** A page of the search read at once. */
const SEARCH_PAGE = 500;

/** The observations a search selects, in the order the browser lists them (newest first). */
export function searchSelection(op: ReadOperation, search: ProvenanceSearch): string[] {
  const { ids, ...conditions } = search;
  if (ids !== undefined) {
    if (Object.values(conditions).some((v) => v !== undefined)) throw new Refused('bad-search', 'Chosen chains are exported as chosen: give the ids, or the search conditions, not both.');
    const missing = ids.find((id) => !readObservation(op.read, id));
    if (missing) throw new Refused('not-found', `No observation ${missing} is stored in this workspace.`);
    return [...new Set(ids)];
  }
  const filter = storeFilter(search);
  const total = countObservations(op.read, filter);
  if (total === 0) throw new Refused('nothing-selected', 'The search finds no observation: widen it before exporting.');
  if (total > MAX_SELECTED) throw new Refused('too-many', `The search finds ${total.toLocaleString('en')} observations; an after-action export takes at most ${MAX_SELECTED.toLocaleString('en')}: narrow it (a time window, a subject).`);
  const selected: string[] = [];
  for (let offset = 0; offset < total; offset += SEARCH_PAGE) {
    for (const row of listObservations(op.read, { ...filter, limit: SEARCH_PAGE, offset })) selected.push(row.id);
  }
  return selected;
}

/** The search as the store's observation filter (the same query the browser's table runs). */
export function storeFilter(search: ProvenanceSearch): Omit<ObservationFilter, 'limit' | 'offset'> {
  const defined = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
  return {
    ...defined('subjectPrefix', search.subjectPrefix),
    ...defined('mesh', search.mesh),
    ...defined('class', search.class),
    ...defined('observedFrom', search.from),
    ...defined('observedBefore', search.before),
    ...defined('federation', search.federation),
    ...defined('label', search.label),
  };
}

export async function buildAfterAction(op: ReadOperation, signer: LogSigner, searchInput: ProvenanceSearch, control: LongOperationControl = {}): Promise<AfterActionExport> {
  const search = ProvenanceSearch.parse(searchInput);
  const stepper = new Stepper(control, 'The after-action export was cancelled: no file was written.');
  const { mesh } = op.mesh();
  const selected = searchSelection(op, search);

  // Each chain across meshes; a source shared by two chains is walked and carried once.
  stepper.tell('walking the chains', 0, selected.length);
  const nodes = new Map<string, ProvenanceNode>();
  const chains: { id: string; nodes: string[]; truncated: boolean }[] = [];
  for (const [index, id] of selected.entries()) {
    const chain = provenance(op.read, id);
    for (const node of chain.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
    chains.push({ id, nodes: chain.nodes.map((n) => n.id), truncated: chain.truncated });
    if (nodes.size > MAX_EXPORT_IDS) throw new Refused('too-many', `The chains name more than ${MAX_EXPORT_IDS.toLocaleString('en')} observations: export fewer at a time.`);
    await stepper.step('walking the chains', index + 1, selected.length);
  }
  const ids = [...nodes.keys()].sort();
  const audit = await buildBundleStepwise(op, { ids }, signer, stepper);

  stepper.tell('signing', ids.length, ids.length);
  const observations: AfterActionBundle['observations'] = [];
  const unresolved: string[] = [];
  for (const id of ids) {
    const row = readObservation(op.read, id);
    if (row) observations.push({ id, record: row.record });
    else unresolved.push(id);
  }
  const bundle = signAfterAction({ mesh: mesh.code, exportedAt: audit.exportedAt, search, selected, observations, unresolved, audit }, signer);

  stepper.tell('writing the report', ids.length, ids.length);
  const facts = afterActionFacts(op, bundle, nodes);
  const reported: ReportedChain[] = chains.map((chain) => ({ id: chain.id, truncated: chain.truncated, steps: chain.nodes.map((id) => facts.get(id)!) }));
  const html = renderAfterActionReport({ bundle, chains: reported, levels: facts.levels });
  return { bundle, text: `${JSON.stringify(bundle)}\n`, html };
}
