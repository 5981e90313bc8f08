/**
 * The core's side of the contract: one handler per method, over the app's services. The
 * mapped type makes the compiler refuse a contract method without a handler, and a service
 * whose result is not assignable to what the contract promises.
 */
import type { z } from 'zod';
import type { Services } from '../app/services.js';
import type { Workspace } from '../workspace/workspace.js';
import type { EventName, EventPayload, MethodName, MethodResult, methods } from './contract/index.js';
import type { QuarantineView } from '../app/crossing/quarantine.js';
import type { DsseEnvelope } from '../crypto/dsse.js';
import { stagedImports } from './staged-imports.js';
import { longOperations } from './long-operations.js';
import { clearOldExports, newExportId, writeExport, type ExportKind } from '../workspace/exports.js';
import type { JsonValue } from '../common/json.js';
import { Refused } from '../common/refused.js';
import { PROVENANCE_NODE_LIMIT } from './contract/board.js';
import { appInfo } from './identity.js';
import type { PartnerOffset } from '../app/time/offsets.js';

export type CoreHandlers = {
  readonly [M in MethodName]: (args: z.output<(typeof methods)[M]['args']>) => MethodResult<M> | Promise<MethodResult<M>>;
};

/** How a handler tells the shells of something as it happens (a staged import's progress). */
export type Publish = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export function createCoreHandlers(workspace: Workspace, services: Services, publish: Publish = () => {}): CoreHandlers {
  const { mesh, credentials, observations, audit, federations, integrity, crossing, reconcile } = services;
  const hasMesh = () => services.context.reading().hasMesh();
  // The last verification of the log in this session: shown until the officer asks for another.
  let lastVerification: MethodResult<'verifyAuditLog'> | null = null;
  const staging = stagedImports(workspace.home, crossing, publish);
  const operations = longOperations(publish);
  // A prepared export is a copy for the shell to hand out: a day later it is cleared.
  const prepare = (files: readonly { kind: ExportKind; text: string; name: string }[]) => {
    clearOldExports(workspace.home, 86_400_000);
    const id = newExportId();
    const written = writeExport(workspace.home, id, files);
    return { export: id, files: written.map((w, i) => ({ kind: w.kind, name: files[i]!.name, bytes: w.bytes })) };
  };
  const stamp = () => services.context.clock.wall().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  // The decision's own log entry, so the console shows what was recorded (the newest naming the item).
  const decided = ({ view, statement }: { view: QuarantineView; statement: DsseEnvelope }): MethodResult<'releaseQuarantined'> => {
    const entry = audit.page({ type: 'decision', subject: view.subject, limit: 20, offset: 0 }).entries.find((e) => e.what.ids.includes(view.id)) ?? null;
    return { item: view, statement: statement as unknown as JsonValue, entry };
  };
  return {
    getAppInfo: () => appInfo(),
    getMeshIdentity: () => mesh.identity(),
    getMarkingLevels: () => mesh.markingLevels(),
    getWorkspaceInfo: () => workspace.info(),
    listPrincipals: ({ role }) => ({ principals: credentials.principals(role ? [role] : ['device', 'operator', 'boundary-agent']) }),
    listObservations: async (filter) => (hasMesh() ? observations.page(filter) : { total: 0, observations: [] }),
    getObservation: async ({ id }) => {
      const detail = await observations.detail(id);
      if (!detail) throw new Refused('not-found', `No observation ${id} is stored in this workspace.`);
      return detail;
    },
    listAuditEntries: (filter) => (hasMesh() ? audit.page(filter) : { total: 0, entries: [] }),
    getAuditLogState: () => (hasMesh() ? audit.state(lastVerification) : { entries: 0, lastCheckpoint: null, verification: null }),
    verifyAuditLog: async ({ operation }) => {
      // A workspace without a mesh has an empty log, which verifies trivially.
      if (!hasMesh()) lastVerification = { verifiedAt: services.context.clock.wall().toISOString(), ok: true, entries: 0, checkpoints: 0, failures: [] };
      else if (operation === undefined) lastVerification = audit.verification();
      else lastVerification = await operations.run(operation, 'audit-verification', (control) => audit.verificationStepwise(control));
      return lastVerification;
    },
    exportAuditLog: async ({ operation, format, passphrase, ...filter }) => {
      const text = await operations.run(operation, 'audit-export', (control) => audit.exportStepwise(format, definedOnly(filter), control, passphrase));
      const kind: ExportKind = format;
      return { operation, ...prepare([{ kind, text, name: `audit-${mesh.require().mesh.code}-${stamp()}${format === 'bundle' ? '.bundle.json' : format === 'html' ? '.html' : '.json'}` }]) };
    },
    exportAfterAction: async ({ operation, criteria, passphrase }) => {
      const made = await operations.run(operation, 'after-action-export', (control) => services.provenance.afterAction(definedOnly(criteria), control, passphrase));
      const base = `after-action-${made.bundle.mesh}-${stamp()}`;
      const prepared = prepare([
        { kind: 'bundle', text: made.text, name: `${base}.bundle.json` },
        { kind: 'html', text: made.html, name: `${base}.html` },
      ]);
      const { bundle } = made;
      return { operation, ...prepared, selected: bundle.selected.length, observations: bundle.observations.length, unresolved: bundle.unresolved.length, entries: bundle.audit.entries.length };
    },
    cancelOperation: ({ operation }) => ({ cancelled: operations.cancel(operation) }),
    listLinks: () => ({ links: hasMesh() ? services.links.list() : [] }),
    listBoundaryCredentials: ({ partner }) => ({ credentials: services.boundary.credentials(partner ? { partner } : {}) }),
    getLineage: ({ ids, depth, direction, maxNodes }) => (hasMesh() ? services.provenance.neighbourhood({ ids, depth, direction, limit: maxNodes }) : { nodes: [], edges: [], observations: 0, truncated: false, markings: [] }),
    getProvenance: ({ id }) => {
      if (!hasMesh()) throw new Refused('not-found', `No observation ${id} is stored in this workspace.`);
      const chain = services.provenance.lineage(id);
      if (chain.nodes[0]?.found === 'unresolved') throw new Refused('not-found', `No observation ${id} is stored in this workspace.`);
      const nodes = chain.nodes.slice(0, PROVENANCE_NODE_LIMIT).map((node) => ({ ...node, sources: [...node.sources], events: node.events.slice(0, 500).map((e) => ({ ...e, reasons: [...e.reasons] })) }));
      return { id, nodes, unresolved: chain.unresolved.slice(0, 10_000), truncated: chain.truncated || chain.nodes.length > PROVENANCE_NODE_LIMIT };
    },
    listClockOffsets: ({ partner }) => ({ offsets: hasMesh() ? services.time.offsets(partner).map(offsetView) : [] }),
    listIntegrityEvents: (filter) => (hasMesh() ? integrity.list(filter) : { total: 0, events: [] }),
    getPicture: (query) => (hasMesh() ? reconcile.picture(definedOnly(query)) : { digest: '0'.repeat(64), subjects: 0, held: 0, queueOpen: 0, pending: 0, matching: 0, items: [] }),
    listQueue: (query) => (hasMesh() ? reconcile.queue(definedOnly(query)) : { open: 0, total: 0, threshold: 1, federation: null, items: [] }),
    getQueueItem: ({ id }) => reconcile.item(id),
    decideQueueItem: async ({ passphrase, ...request }) => {
      const { id, item } = await reconcile.decide(definedOnly(request), passphrase);
      return { decision: id, item };
    },
    replayPolicy: ({ policyText, from, to, decision }) => {
      const report = reconcile.replay({ policyText, ...(from === undefined ? {} : { from: new Date(from) }), ...(to === undefined ? {} : { to: new Date(to) }), ...(decision === undefined ? {} : { decision }) });
      const differences = report.differences.slice(0, 1_000).map(({ subject, field, current, replayed }) => ({ subject, field, current: stateOf(current), replayed: stateOf(replayed) }));
      return { subjects: report.subjects, observations: report.observations, found: report.differences.length, differences };
    },
    listQuarantine: ({ all, limit, offset }) => (hasMesh() ? { open: crossing.quarantineCount(), items: crossing.quarantine({ all, limit, offset }) } : { open: 0, items: [] }),
    releaseQuarantined: async ({ passphrase, ...decision }) => decided(await crossing.release(decision, passphrase)),
    rejectQuarantined: async ({ passphrase, ...decision }) => decided(await crossing.reject(decision, passphrase)),
    importStagedBundle: ({ staged, passphrase }) => staging.import(staged, passphrase),
    cancelBundleImport: ({ staged }) => ({ cancelled: staging.cancel(staged) }),
    listBundleImports: ({ limit }) => ({
      imports: hasMesh()
        ? crossing.imports(limit).map((row) => ({
            digest: row.digest,
            partner: row.partner,
            federation: row.federation,
            version: row.version,
            agent: row.agent,
            observations: row.observations,
            state: row.state,
            counts: { admitted: row.admitted, duplicate: row.duplicate, rejected: row.rejected, quarantined: row.quarantined, tainted: row.tainted },
            startedAt: row.startedAt,
            finishedAt: row.finishedAt,
          }))
        : [],
    }),
    listFederations: () => ({ federations: hasMesh() ? federations.summaries() : [] }),
    getFederation: ({ federation }) => {
      const detail = hasMesh() ? federations.detail(federation) : null;
      if (!detail) throw new Refused('not-found', `This workspace holds no federation ${federation}.`);
      return detail;
    },
    getFederationVersion: ({ federation, version }) => {
      const found = hasMesh() ? federations.version(federation, version) : null;
      if (!found) throw new Refused('not-found', `This workspace holds no version ${version} of federation ${federation}.`);
      return { version, declaration: found.declaration as JsonValue, digest: found.digest };
    },
    listKnownPartners: () => ({ partners: hasMesh() ? federations.knownPartners() : [] }),
    startFederationDraft: (request) => ({ draft: federations.startDraft(request) as JsonValue }),
    checkFederationDraft: ({ draft }) => federations.checkDraft(draft),
    previewDraftEffect: ({ draft }) => federations.previewEffect(draft),
    proposeFederationDraft: ({ draft, passphrase }) => federations.proposeDraft(draft, passphrase),
    signFederation: async ({ federation, passphrase }) => {
      await federations.sign(federation, passphrase);
      return federations.summary(federation);
    },
    withdrawFederation: async ({ federation, reason, passphrase }) => {
      await federations.withdraw(federation, reason, passphrase);
      return federations.summary(federation);
    },
    exportFederation: ({ federation }) => {
      const exchange = federations.export(federation);
      const version = (exchange.declaration as { version?: unknown }).version;
      return { name: `${federation}-v${String(version)}.federation.json`, text: `${JSON.stringify(exchange, null, 2)}\n` };
    },
    importFederation: async ({ text }) => federations.summary((await federations.import(text)).id),
  };
}

/** Optional arguments the contract left out stay out (the services take exact optional properties). */
function definedOnly<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

function stateOf(side: { observation: string | null; state: string }): { observation: string | null; state: 'merged' | 'held' } {
  return { observation: side.observation, state: side.state === 'held' ? 'held' : 'merged' };
}

/** Infinity does not cross JSON: an unbounded side is null. */
function offsetView(offset: PartnerOffset): MethodResult<'listClockOffsets'>['offsets'][number] {
  const bounds = ({ lo, hi }: { lo: number; hi: number }) => ({ lo: Number.isFinite(lo) ? lo : null, hi: Number.isFinite(hi) ? hi : null });
  return { ...offset, interval: bounds(offset.interval), samples: offset.samples.map((s) => ({ ...s, interval: bounds(s.interval) })) };
}
