/**
 * Boundary agents over the store (decision 0005): the certification request an agent of this
 * mesh sends a partner, the certificate this mesh issues to a partner's agent, installing the one
 * a partner issued to ours, revoking one we issued, and the two halves of the hello the crossing
 * pipeline calls — writing one for an agent, and judging one that arrives. Every change is
 * written in one transaction with its log entry; a refusal writes nothing.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { Refused } from '../../common/refused.js';
import { ChainVerifier, parseCertificate, parseCertificates, type ParsedCertificate } from '../../credentials/index.js';
import { checkHello, HELLO_TYPE, newNonce, signHello, type HelloContext, type HelloFederation, type HelloVerdict } from '../../boundary/hello.js';
import { readAgentCertificate } from '../../boundary/agent-certificate.js';
import { createAgentRequest, readAgentRequest } from '../../boundary/agent-request.js';
import { issueAgentCertificate } from '../../boundary/agent-certificate.js';
import type { DsseEnvelope } from '../../crypto/dsse.js';
import { evaluate, type FederationRecord } from '../../federation/lifecycle.js';
import { insertIssuedAgentCertificate, insertPartnerCertificate, listIssuedAgentCertificates, listPartnerCertificates, markIssuedAgentCertificateRevoked, rememberNonce } from '../../store/agent-store.js';
import { insertCrl, readCertificate, readPrincipal, type PrincipalRow } from '../../store/mesh-store.js';
import { credential } from '../context/keyring.js';
import { authorityActor } from '../context/log.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import { issueMeshCrl, loadChainVerifier } from '../credentials/credentials-service.js';
import { federationRecord, requireRecord } from '../federations/federation-records.js';
import { partnerChains } from '../federations/partner-chains.js';

/** A chain file beside a partner certificate: a handful of CAs at most. */
const MAX_INTERMEDIATES = 8;

/** Writes the PKCS#10 request of one of this mesh's boundary agents, for a federation it holds. */
export async function requestFor(op: Operation, request: { agent: string; federation: string }): Promise<{ pem: string }> {
  const { mesh } = op.mesh();
  const principal = activeAgent(op, request.agent);
  const record = requireRecord(op.read, request.federation);
  if (!partnersOf(record).includes(mesh.code)) throw new Refused('not-a-partner', `${mesh.code} is not a partner of federation ${request.federation}.`);
  const home = homeCertificate(op, principal);
  const privateKey = await op.keyring.key(principal.certificateSha256);
  return { pem: await createAgentRequest({ homeMesh: mesh.code, agentId: request.agent, federation: request.federation, keys: { privateKey, publicKey: home.publicKey } }) };
}

/** Issues this mesh's boundary-agent certificate to a partner's agent from its verified request. */
export async function certify(op: Operation, input: { requestPem: string; federation: string }): Promise<{ pem: string; sha256: string; notAfter: string; agent: string; partner: string }> {
  const { mesh } = op.mesh();
  const db = op.write;
  const request = await readAgentRequest(input.requestPem);
  if (request.federation !== input.federation) {
    throw new Refused('federation-mismatch', `The request asks for federation ${request.federation}, not ${input.federation}.`);
  }
  const record = requireRecord(db, input.federation);
  const now = op.clock.advance(db);
  const evaluation = evaluate(record, now);
  if (evaluation.state !== 'active' || !evaluation.inForce) throw new Refused('federation-inactive', `Federation ${input.federation} is ${evaluation.state}: no agent is certified under it.`);
  const partners = evaluation.inForce.declaration.partners.map((p) => p.mesh);
  if (request.homeMesh === mesh.code) throw new Refused('not-a-partner', `The request is from an agent of ${mesh.code} itself; its home certificate already speaks here.`);
  if (!partners.includes(request.homeMesh) || !partners.includes(mesh.code)) {
    throw new Refused('not-a-partner', `${request.homeMesh} is not a partner of ${mesh.code} in federation ${input.federation}.`);
  }
  const issuerPem = readCertificate(db, mesh.issuerSha256)!.pem;
  const issuerKey = await op.keyring.key(mesh.issuerSha256);
  const issued = await issueAgentCertificate(
    request,
    { issuerCertificatePem: issuerPem, issuerKeys: { privateKey: issuerKey, publicKey: parseCertificate(issuerPem).publicKey } },
    { federationExpires: new Date(evaluation.inForce.declaration.validity.expires), notBefore: now },
  );
  const log = await op.log();
  db.transaction(() => {
    insertIssuedAgentCertificate(db, {
      sha256: issued.sha256,
      partner: request.homeMesh,
      agent: request.agentId,
      federation: input.federation,
      serial: issued.serial,
      pem: issued.pem,
      notAfter: issued.notAfter,
      issuedAt: now.toISOString(),
      revokedAt: null,
    });
    log.append([
      {
        type: 'credential',
        who: authorityActor(mesh),
        what: { ids: [issued.sha256], federation: input.federation, detail: { role: 'boundary-agent', principal: request.agentId, partner: request.homeMesh, serial: issued.serial } },
        why: { reasons: ['certified'] },
      },
    ], now);
  })();
  return { pem: issued.pem, sha256: issued.sha256, notAfter: issued.notAfter, agent: request.agentId, partner: request.homeMesh };
}

export interface Installed {
  readonly agent: string;
  readonly partner: string;
  readonly federation: string;
  readonly sha256: string;
  readonly notAfter: string;
}

/**
 * Keeps a partner's certificate beside our agent's key: it must certify that agent's own key,
 * name the agent and one federation held here, and chain to the anchor the federation's card
 * names for the partner that issued it.
 */
export async function install(op: Operation, input: { certificatePem: string; intermediatesPem?: string }): Promise<Installed> {
  const { mesh } = op.mesh();
  const db = op.write;
  const certificate = credential(() => parseCertificate(input.certificatePem));
  const intermediates = input.intermediatesPem === undefined ? [] : credential(() => parseCertificates(input.intermediatesPem!));
  if (intermediates.length > MAX_INTERMEDIATES) throw new Refused('chain-too-long', `The chain file holds ${intermediates.length} certificates; at most ${MAX_INTERMEDIATES}.`);
  const names = readAgentCertificate(certificate);
  if (names.homeMesh !== mesh.code) throw new Refused('not-our-agent', `The certificate names an agent of ${names.homeMesh}, not of ${mesh.code}.`);
  const principal = activeAgent(op, names.agentId);
  if (!certificate.publicKey.equals(homeCertificate(op, principal).publicKey)) {
    throw new Refused('key-mismatch', `The certificate certifies another key than boundary agent ${names.agentId}'s: one agent has one key.`);
  }
  if (names.federations.length !== 1) throw new Refused('not-an-agent-certificate', `A partner certificate names exactly one federation; this one names ${names.federations.length}.`);
  const federation = names.federations[0]!;
  const record = requireRecord(db, federation);
  const now = op.clock.advance(db);
  const evaluation = evaluate(record, now);
  if (evaluation.state !== 'active' || !evaluation.inForce) throw new Refused('federation-inactive', `Federation ${federation} is ${evaluation.state}: its certificates cannot be installed.`);
  const issuer = issuingPartner(evaluation.inForce.declaration.partners.filter((p) => p.mesh !== mesh.code), certificate, intermediates, names.agentId, now);
  const log = await op.log();
  db.transaction(() => {
    insertPartnerCertificate(db, {
      sha256: certificate.sha256,
      agent: names.agentId,
      partner: issuer,
      federation,
      pem: input.certificatePem.trim() + '\n',
      intermediates: intermediates.map((c) => c.x509.toString()),
      notAfter: new Date(certificate.notAfter).toISOString(),
      installedAt: now.toISOString(),
    });
    log.append([
      {
        type: 'credential',
        who: authorityActor(mesh),
        what: { ids: [certificate.sha256], federation, detail: { role: 'boundary-agent', principal: names.agentId, partner: issuer } },
        why: { reasons: ['installed'] },
      },
    ], now);
  })();
  return { agent: names.agentId, partner: issuer, federation, sha256: certificate.sha256, notAfter: new Date(certificate.notAfter).toISOString() };
}

/** Revokes the certificates this mesh issued to a partner's agent (under one federation, or all) and publishes a new CRL. */
export async function revokeIssued(op: Operation, input: { partner: string; agent: string; federation?: string }): Promise<{ revoked: string[]; crlNumber: number; revokedAt: string }> {
  const { mesh } = op.mesh();
  const db = op.write;
  const targets = listIssuedAgentCertificates(db, { partner: input.partner, agent: input.agent, ...(input.federation ? { federation: input.federation } : {}) }).filter((c) => c.revokedAt === null);
  if (targets.length === 0) {
    throw new Refused('not-certified', `${mesh.code} holds no unrevoked certificate it issued to ${input.partner}'s agent ${input.agent}${input.federation ? ` under ${input.federation}` : ''}.`);
  }
  const revokedAt = op.clock.wall();
  const crl = await issueMeshCrl(op, targets.map((c) => ({ serial: c.serial, revokedAt })), revokedAt);
  const log = await op.log();
  db.transaction(() => {
    for (const target of targets) markIssuedAgentCertificateRevoked(db, target.sha256, revokedAt.toISOString());
    insertCrl(db, { issuerSha256: mesh.issuerSha256, number: crl.number, thisUpdate: revokedAt.toISOString(), pem: crl.pem });
    log.append([
      {
        type: 'credential',
        who: authorityActor(mesh),
        what: { ids: targets.map((c) => c.sha256), detail: { role: 'boundary-agent', principal: input.agent, partner: input.partner, crlNumber: crl.number } },
        why: { reasons: ['revoked'] },
      },
    ], revokedAt);
  })();
  return { revoked: targets.map((c) => c.sha256), crlNumber: crl.number, revokedAt: revokedAt.toISOString() };
}

export interface HelloSigned {
  readonly envelope: DsseEnvelope;
  /** The boundary agent that signed it. */
  readonly agent: string;
  /** The agent's key and keyid: the same key signs the manifest and receipts that follow. */
  readonly signer: { readonly key: KeyObject; readonly keyid: string };
}

/**
 * A hello to `to` under `federation`, from `agent` or else the first of this mesh's unrevoked
 * boundary agents holding a partner certificate of `to` for it that is valid now. A live link
 * passes its TLS exporter value as `nonce` (decision 0006), binding the hello to the connection.
 */
export async function helloFor(op: Operation, request: { to: string; federation: string; agent?: string; nonce?: string }): Promise<HelloSigned> {
  const { mesh, caPems } = op.mesh();
  const record = requireRecord(op.read, request.federation);
  const now = op.clock.now();
  const evaluation = evaluate(record, now);
  if (evaluation.state !== 'active' || !evaluation.inForce) throw new Refused('federation-inactive', `Federation ${request.federation} is ${evaluation.state}: no hello is sent under it.`);
  const partners = evaluation.inForce.declaration.partners.map((p) => p.mesh);
  if (!partners.includes(request.to) || request.to === mesh.code) throw new Refused('not-a-partner', `${request.to} is not a partner of ${mesh.code} in federation ${request.federation}.`);
  const held = listPartnerCertificates(op.read, { partner: request.to, federation: request.federation, ...(request.agent ? { agent: request.agent } : {}) }).find((c) => {
    const principal = readPrincipal(op.read, 'boundary-agent', c.agent);
    const notAfter = Date.parse(c.notAfter);
    return principal !== undefined && principal.revokedAt === null && notAfter > now.getTime() && parseCertificate(c.pem).notBefore <= now.getTime();
  });
  if (!held) {
    throw new Refused('no-certified-agent', `No ${request.agent ? `boundary agent ${request.agent}` : 'boundary agent'} of ${mesh.code} holds a valid certificate from ${request.to} for federation ${request.federation}: run \`entente agent request\` and have ${request.to} certify it.`);
  }
  const principal = readPrincipal(op.read, 'boundary-agent', held.agent)!;
  const homePem = readCertificate(op.read, principal.certificateSha256)!.pem;
  const key = await op.keyring.key(principal.certificateSha256);
  const envelope = signHello(
    {
      type: HELLO_TYPE,
      agent: { mesh: mesh.code, id: held.agent },
      from: mesh.code,
      to: request.to,
      federation: { id: request.federation, version: evaluation.inForce.declaration.version, digest: evaluation.inForce.digest },
      certificates: { home: { leaf: homePem, intermediates: [...caPems] }, partner: { leaf: held.pem, intermediates: [...held.intermediates] } },
      at: now.toISOString(),
      nonce: request.nonce ?? newNonce(),
    },
    key,
    principal.certificateSha256,
  );
  return { envelope, agent: held.agent, signer: { key, keyid: principal.certificateSha256 } };
}

export interface IncomingHelloOptions {
  /** The digest of the bundle the hello opens; by default the hello's own (a re-delivered hello is then the same). */
  readonly bundle?: string;
  /** The partner's CRLs the bundle carries, applied to its chain before the agent's home certificate is judged. */
  readonly partnerCrls?: readonly string[];
}

/**
 * Judges a hello that arrived, against this store: the federation as it stands here, the
 * partner's anchor as its card names it, our own root and CRL. An accepted hello's nonce is
 * remembered; a nonce seen before with another bundle is `replayed-hello`.
 */
export function checkIncomingHello(op: Operation, envelope: unknown, now: Date, options: IncomingHelloOptions = {}): HelloVerdict {
  const verdict = judgeIncomingHello(op, envelope, now, options);
  if (!verdict.ok) return verdict;
  const digest = options.bundle ?? createHash('sha256').update(JSON.stringify(envelope)).digest('hex');
  const seen = op.write.transaction(() => rememberNonce(op.write, verdict.nonce, digest, now.toISOString()))();
  if (seen === 'replayed') return { ok: false, reason: 'replayed-hello', message: `The hello's nonce ${verdict.nonce.slice(0, 16)}… was already used with another bundle: a replayed or cloned hello.` };
  return verdict;
}

/**
 * The hello judged at `now` against what this store holds (chains, CRLs, the federation in
 * force), its nonce not remembered: a live link asks again on every round whether the hello it
 * accepted at the opening still stands (a revocation or a new version since ends the link).
 */
export function judgeIncomingHello(op: ReadOperation, envelope: unknown, now: Date, options: Pick<IncomingHelloOptions, 'partnerCrls'> = {}): HelloVerdict {
  const { mesh } = op.mesh();
  const chains = partnerChains(op.read);
  const partnerCrls = options.partnerCrls ?? [];
  const context: HelloContext = {
    mesh: mesh.code,
    ownChains: loadChainVerifier(op, { anyMesh: true }),
    partnerChains: (partner) => {
      const verifier = chains(partner);
      for (const crl of partnerCrls) verifier?.addCrl(crl);
      return verifier;
    },
    federation: (id) => {
      const record = federationRecord(op.read, id);
      return record ? helloFederation(record, now) : undefined;
    },
  };
  return checkHello(envelope, context, now);
}

function helloFederation(record: FederationRecord, now: Date): HelloFederation {
  const evaluation = evaluate(record, now);
  return {
    id: record.id,
    state: evaluation.state,
    version: evaluation.inForce?.declaration.version ?? null,
    digest: evaluation.inForce?.digest ?? null,
    partners: (evaluation.inForce ?? evaluation.latest).declaration.partners.map((p) => p.mesh),
  };
}

/** The partners the newest version names (the one in force names the same or fewer: none is dropped). */
function partnersOf(record: FederationRecord): string[] {
  return record.versions.at(-1)!.declaration.partners.map((p) => p.mesh);
}

function activeAgent(op: ReadOperation, id: string): PrincipalRow {
  const principal = readPrincipal(op.read, 'boundary-agent', id);
  if (!principal) throw new Refused('not-enrolled', `No boundary agent ${id} is enrolled in mesh ${op.mesh().mesh.code}: enrol it with \`entente device enroll --role boundary-agent\`.`);
  if (principal.revokedAt) throw new Refused('agent-revoked', `Boundary agent ${id} was revoked on ${principal.revokedAt}.`);
  return principal;
}

function homeCertificate(op: ReadOperation, principal: PrincipalRow): ParsedCertificate {
  return parseCertificate(readCertificate(op.read, principal.certificateSha256)!.pem);
}

/** The partner whose anchor (as the federation's card names it) the certificate chains to. */
function issuingPartner(partners: readonly { mesh: string; card: { trustAnchor: { pem: string }; intermediates: readonly { pem: string }[] } }[], certificate: ParsedCertificate, intermediates: readonly ParsedCertificate[], agent: string, now: Date): string {
  let why = `no partner of the federation issued it`;
  for (const partner of partners) {
    const verifier = new ChainVerifier({ anchor: partner.card.trustAnchor.pem, intermediates: [...partner.card.intermediates.map((i) => i.pem), ...intermediates] });
    const result = verifier.verify(certificate, { role: 'boundary-agent', id: agent, at: now, admittedAt: now });
    if (result.ok) return partner.mesh;
    if (result.reason !== 'unknown-issuer') why = `${partner.mesh}: ${result.message}`;
  }
  throw new Refused('untrusted-certificate', `The certificate does not chain to the anchor of a partner in the federation (${why}).`);
}
