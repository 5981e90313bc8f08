/**
 * Discovery: the hello a boundary agent opens every bundle (and, later, every link) with
 * (decision 0005). A DSSE envelope signed by the agent's one key, keyid = SHA-256 of its home
 * certificate, carrying both its certificates and the federation version it acts under. The
 * receiver checks the home chain against the partner's anchor (as the federation's card names
 * it), the partner certificate against its own root, revocation on both sides, and that both
 * sides agree on the version in force; every refusal has its own name.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalize } from '../canonical/jcs.js';
import { readStrictJson } from '../canonical/strict-json.js';
import { describeIssues, FederationId, IsoDateTime, MeshCode, PrincipalId, Sha256Hex } from '../common/atoms.js';
import { Refused } from '../common/refused.js';
import { parseCertificate, type ChainVerifier, type ParsedCertificate } from '../credentials/index.js';
import { DsseEnvelope, envelopeSignedBy, payloadOf, signEnvelope } from '../crypto/dsse.js';
import type { FederationState } from '../federation/lifecycle.js';
import { readAgentCertificate } from './agent-certificate.js';

export const HELLO_TYPE = 'entente.boundary-hello/v1';
export const HELLO_PAYLOAD_TYPE = 'application/vnd.entente.boundary-hello+json';

/** Two short chains of certificates and a few names: anything bigger is not a hello. */
export const MAX_HELLO_BYTES = 256 * 1024;

export const HELLO_REASONS = [
  'malformed-hello',
  'wrong-recipient',
  'not-a-partner',
  'no-federation',
  'federation-inactive',
  'federation-mismatch',
  'unknown-agent',
  'not-certified-here',
  'agent-revoked',
  'bad-signature',
  'replayed-hello',
] as const;
export type HelloReason = (typeof HELLO_REASONS)[number];

const Pem = z.string().min(1).max(32 * 1024).regex(/^-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\n?$/, 'expected one PEM certificate');
const CertificateSet = z.strictObject({ leaf: Pem, intermediates: z.array(Pem).max(8) });

export const HelloBody = z.strictObject({
  type: z.literal(HELLO_TYPE),
  agent: z.strictObject({ mesh: MeshCode, id: PrincipalId }),
  from: MeshCode,
  to: MeshCode,
  federation: z.strictObject({ id: FederationId, version: z.number().int().min(1).max(1_000_000), digest: Sha256Hex }),
  certificates: z.strictObject({ home: CertificateSet, partner: CertificateSet }),
  at: IsoDateTime,
  /** 32 random bytes, hex: never reused by an honest agent. */
  nonce: z.string().regex(/^[0-9a-f]{64}$/, 'expected 32 bytes of lowercase hex'),
});
export type HelloBody = z.infer<typeof HelloBody>;

/** A fresh nonce for a hello. */
export function newNonce(): string {
  return randomBytes(32).toString('hex');
}

/** Signs a hello (RFC 8785 canonical bytes of the validated body). @throws Refused 'malformed-hello' */
export function signHello(body: HelloBody, key: KeyObject, homeCertSha256: string): DsseEnvelope {
  const parsed = HelloBody.safeParse(body);
  if (!parsed.success) throw new Refused('malformed-hello', `The hello is malformed: ${describeIssues(parsed.error, 'hello')}.`);
  return signEnvelope(HELLO_PAYLOAD_TYPE, Buffer.from(canonicalize(parsed.data), 'utf8'), [{ keyid: homeCertSha256, key }]);
}

/** The federation as the receiver holds it: the version in force and its state now. */
export interface HelloFederation {
  readonly id: string;
  readonly state: FederationState;
  /** Null when no version was ever signed by every partner. */
  readonly version: number | null;
  readonly digest: string | null;
  readonly partners: readonly string[];
}

export interface HelloContext {
  /** This mesh's code. */
  readonly mesh: string;
  /**
   * This mesh's anchor, CAs and newest CRLs, built with no `mesh` restriction: the partner
   * certificate we issued names the agent's home mesh, not ours.
   */
  readonly ownChains: ChainVerifier;
  /** The partner's chain verifier (its anchor as its card names it, its CRLs), or undefined for no partner. */
  readonly partnerChains: (mesh: string) => ChainVerifier | undefined;
  /** The federation held under this id, or undefined. */
  readonly federation: (id: string) => HelloFederation | undefined;
}

export interface HelloAccepted {
  readonly ok: true;
  readonly agent: { readonly mesh: string; readonly id: string };
  readonly from: string;
  readonly federation: { readonly id: string; readonly version: number; readonly digest: string };
  /** The agent's key: it signs the manifest and receipts that follow. */
  readonly publicKey: KeyObject;
  readonly homeCertificateSha256: string;
  readonly partnerCertificateSha256: string;
  readonly nonce: string;
  readonly at: string;
}

export interface HelloRefused {
  readonly ok: false;
  readonly reason: HelloReason;
  readonly message: string;
}

export type HelloVerdict = HelloAccepted | HelloRefused;

/** Judges a hello at `now`. Never throws: every refusal is a verdict with its reason. */
export function checkHello(envelope: unknown, context: HelloContext, now: Date): HelloVerdict {
  try {
    return judge(envelope, context, now);
  } catch (error) {
    if (error instanceof Refused && (HELLO_REASONS as readonly string[]).includes(error.reason)) return refused(error.reason as HelloReason, error.message);
    return refused('malformed-hello', 'The hello cannot be read.');
  }
}

function judge(candidate: unknown, context: HelloContext, now: Date): HelloVerdict {
  const shape = DsseEnvelope.safeParse(candidate);
  if (!shape.success) return refused('malformed-hello', `The hello is not a DSSE envelope: ${describeIssues(shape.error, 'envelope')}.`);
  const envelope = shape.data;
  if (envelope.payloadType !== HELLO_PAYLOAD_TYPE) return refused('malformed-hello', `The envelope's payload type is ${envelope.payloadType.slice(0, 80)}, not a boundary hello.`);
  const payload = payloadOf(envelope);
  if (payload.length > MAX_HELLO_BYTES) return refused('malformed-hello', `The hello is larger than ${MAX_HELLO_BYTES} bytes.`);
  let json: unknown;
  try {
    json = readStrictJson(payload, { maxBytes: MAX_HELLO_BYTES, maxDepth: 8 });
  } catch (error) {
    return refused('malformed-hello', `The hello's payload is not strict JSON: ${(error as Error).message}`);
  }
  const parsed = HelloBody.safeParse(json);
  if (!parsed.success) return refused('malformed-hello', `The hello is malformed: ${describeIssues(parsed.error, 'hello')}.`);
  const hello = parsed.data;

  // The signature first, with the key the home certificate carries: nothing unsigned is believed.
  const home = certificate(hello.certificates.home.leaf, 'unknown-agent', 'home');
  if (!envelopeSignedBy(envelope, home.sha256, home.publicKey)) {
    return refused('bad-signature', `The hello is not signed by the key of the home certificate it carries (${home.sha256.slice(0, 16)}…).`);
  }

  if (hello.to !== context.mesh) return refused('wrong-recipient', `The hello is addressed to ${hello.to}, not to ${context.mesh}.`);
  const partnerChains = hello.from === context.mesh ? undefined : context.partnerChains(hello.from);
  if (!partnerChains) return refused('not-a-partner', `${hello.from} is not a partner of ${context.mesh} in any federation held here.`);
  const federation = context.federation(hello.federation.id);
  if (!federation) return refused('no-federation', `This mesh holds no federation ${hello.federation.id}.`);
  if (!federation.partners.includes(hello.from) || !federation.partners.includes(context.mesh)) {
    return refused('not-a-partner', `Federation ${federation.id} does not join ${hello.from} and ${context.mesh}.`);
  }
  if (federation.state !== 'active' || federation.version === null) {
    return refused('federation-inactive', `Federation ${federation.id} is ${federation.state} here; nothing crosses under it.`);
  }
  if (hello.federation.version !== federation.version || hello.federation.digest !== federation.digest) {
    return refused(
      'federation-mismatch',
      `The agent acts under version ${hello.federation.version} of ${federation.id} (${hello.federation.digest.slice(0, 16)}…); version ${federation.version} (${federation.digest!.slice(0, 16)}…) is in force here.`,
    );
  }

  if (hello.agent.mesh !== hello.from) return refused('unknown-agent', `The hello comes from ${hello.from} but names an agent of ${hello.agent.mesh}.`);
  for (const pem of hello.certificates.home.intermediates) partnerChains.addIntermediate(certificate(pem, 'unknown-agent', 'home intermediate'));
  const homeChain = partnerChains.verify(home, { role: 'boundary-agent', id: hello.agent.id, at: now, admittedAt: now });
  if (!homeChain.ok) {
    return homeChain.reason === 'revoked'
      ? refused('agent-revoked', `${hello.from} revoked boundary agent ${hello.agent.id}: ${homeChain.message}`)
      : refused('unknown-agent', `The home certificate is not one of ${hello.from}'s boundary agents (${homeChain.reason}): ${homeChain.message}`);
  }

  const partner = certificate(hello.certificates.partner.leaf, 'not-certified-here', 'partner');
  const ownChain = context.ownChains.verify(partner, { role: 'boundary-agent', id: hello.agent.id, at: now, admittedAt: now });
  if (!ownChain.ok) {
    return ownChain.reason === 'revoked'
      ? refused('agent-revoked', `${context.mesh} revoked the certificate it issued to ${hello.from}'s agent ${hello.agent.id}: ${ownChain.message}`)
      : refused('not-certified-here', `The partner certificate is not one ${context.mesh} issued (${ownChain.reason}): ${ownChain.message}`);
  }
  const names = readAgentCertificate(partner);
  if (names.homeMesh !== hello.from || names.agentId !== hello.agent.id) {
    return refused('not-certified-here', `The partner certificate names agent ${names.agentId} of ${names.homeMesh}, not ${hello.agent.id} of ${hello.from}.`);
  }
  if (!names.federations.includes(federation.id)) {
    return refused('not-certified-here', `The partner certificate was issued for ${names.federations.join(', ') || 'no federation'}, not for ${federation.id}.`);
  }
  if (!partner.publicKey.equals(home.publicKey)) {
    return refused('not-certified-here', 'The partner certificate certifies another key than the home certificate: one agent has one key.');
  }
  return {
    ok: true,
    agent: { mesh: hello.agent.mesh, id: hello.agent.id },
    from: hello.from,
    federation: { id: federation.id, version: federation.version, digest: federation.digest! },
    publicKey: home.publicKey,
    homeCertificateSha256: home.sha256,
    partnerCertificateSha256: partner.sha256,
    nonce: hello.nonce,
    at: hello.at,
  };
}

function certificate(pem: string, reason: HelloReason, what: string): ParsedCertificate {
  try {
    return parseCertificate(pem);
  } catch {
    throw new Refused(reason, `The hello's ${what} certificate cannot be read.`);
  }
}

function refused(reason: HelloReason, message: string): HelloRefused {
  return { ok: false, reason, message };
}
