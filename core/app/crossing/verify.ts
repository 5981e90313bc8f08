/**
 * `entente bundle verify`: everything that can be judged of a bundle without importing it — its
 * structure and manifest, the agent's hello as this mesh would judge it, and each observation's
 * own integrity and credential chain — with nothing written.
 */
import { signerRole } from '../../reconcile/decision.js';
import { verifyBundleStream, readBundleBlocks, type ParsedLine } from '../../boundary/bundle/reader.js';
import type { DsseEnvelope } from '../../crypto/dsse.js';
import { envelopeSignedBy } from '../../crypto/dsse.js';
import { parseCertificate } from '../../credentials/index.js';
import { ObservationVerifier } from '../../observation/index.js';
import type { Operation } from '../context/operation.js';
import { partnerChains } from '../federations/partner-chains.js';
import type { BundleSource, CrossingParts } from './parts.js';

export interface BundleCheck {
  readonly bundle: string | null;
  readonly ok: boolean;
  /** Why the bundle as a whole is refused, when it is. */
  readonly refusal: { readonly reason: string; readonly message: string } | null;
  readonly from: string | null;
  readonly agent: string | null;
  readonly federation: { readonly id: string; readonly version: number } | null;
  readonly lines: number;
  readonly observations: number;
  readonly verified: number;
  readonly failures: readonly { readonly line: number; readonly reason: string; readonly message: string }[];
}

const MAX_FAILURES_SHOWN = 1_000;

export async function checkBundle(op: Operation, parts: CrossingParts, source: BundleSource, signal?: AbortSignal): Promise<BundleCheck> {
  const now = op.clock.now();
  const empty = { bundle: null, from: null, agent: null, federation: null, lines: 0, observations: 0, verified: 0, failures: [] };
  const pass1 = await verifyBundleStream(source.open(), { verifyManifest: manifestByHelloKey, signal });
  if (!pass1.ok) return { ...empty, ok: false, refusal: { reason: pass1.reason, message: pass1.message } };
  const hello = parts.checkIncomingHello(op, pass1.hello, now, pass1.digest);
  if (!hello.ok) return { ...empty, bundle: pass1.digest, ok: false, refusal: { reason: hello.reason, message: hello.message }, lines: pass1.manifest.lines, observations: pass1.manifest.observations };
  const certificates = new Map<string, string>();
  const chains = partnerChains(op.read);
  const verifier = new ObservationVerifier((record, admittedAt, query) => {
    const pem = certificates.get(query.certificate);
    const chain = chains(record.mesh);
    if (!pem || !chain) return { ok: false, reason: 'unknown-certificate', message: `No certificate ${query.certificate.slice(0, 16)}… of ${record.mesh} to check it against.` };
    // A decision is signed by an operator (docs/decisions/0007), everything else by a device.
    const result = chain.verify(pem, { role: signerRole(record.class), at: query.observedAt, admittedAt });
    return result.ok ? { ok: true, publicKey: result.publicKey } : result;
  });
  let verified = 0;
  let failed = 0;
  const failures: { line: number; reason: string; message: string }[] = [];
  for await (const block of readBundleBlocks(source.open(), pass1.blockDigests, { signal })) {
    for (const parsed of block.lines as ParsedLine[]) {
      const value = parsed.item;
      if (value.kind === 'certificate') {
        try {
          certificates.set(parseCertificate(value.pem).sha256, value.pem);
        } catch {
          /* an unreadable certificate vouches for nothing; the items naming it fail below */
        }
      } else if (value.kind === 'observation') {
        const result = verifier.verify(value.record, now);
        if (result.ok) verified += 1;
        else {
          failed += 1;
          if (failures.length < MAX_FAILURES_SHOWN) failures.push({ line: parsed.line, reason: result.reason, message: result.message });
        }
      }
    }
  }
  return {
    bundle: pass1.digest,
    ok: failed === 0,
    refusal: null,
    from: hello.from,
    agent: `${hello.agent.mesh}:${hello.agent.id}`,
    federation: { id: hello.federation.id, version: hello.federation.version },
    lines: pass1.manifest.lines,
    observations: pass1.manifest.observations,
    verified,
    failures,
  };
}

/** The manifest must carry a signature of the key the hello's home certificate names. */
export function manifestByHelloKey(hello: DsseEnvelope, manifest: DsseEnvelope): boolean {
  try {
    const body = JSON.parse(Buffer.from(hello.payload, 'base64').toString('utf8')) as { certificates?: { home?: { leaf?: string } } };
    const leaf = parseCertificate(body.certificates?.home?.leaf ?? '');
    return manifest.signatures.some((s) => s.keyid === leaf.sha256 && envelopeSignedBy(manifest, s.keyid, leaf.publicKey));
  } catch {
    return false;
  }
}
