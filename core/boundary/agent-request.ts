/**
 * A boundary agent's certification request to a partner mesh (decision 0005): PKCS#10 (RFC 2986)
 * signed with the agent's existing home key, so the certificate the partner issues certifies that
 * same key. Subject `O=Entente mesh <HOME>, OU=boundary-agent, CN=<id>`; an extensionRequest
 * (RFC 2985 §5.4.2) asks for two SAN URIs: the agent, and the federation it will act under.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { PATTERNS } from '../common/atoms.js';
import { Refused } from '../common/refused.js';
import { bytesFor, x509 } from '../credentials/crypto-provider.js';
import { CredentialError, federationUri, parseFederationUri, parsePrincipalUri, principalUri } from '../credentials/index.js';
import { readSinglePem, toPem } from '../credentials/pem.js';
import { isPrincipalId } from '../credentials/roles.js';
import { signingAlgorithm, toWebKeyPair } from '../credentials/web-keys.js';

/** A request is a few hundred bytes; past this it is refused unread. */
export const MAX_REQUEST_BYTES = 16 * 1024;

export const REQUEST_PEM_LABEL = 'CERTIFICATE REQUEST';

export interface AgentRequestInput {
  readonly homeMesh: string;
  readonly agentId: string;
  readonly federation: string;
  /** The agent's home key pair: the same key its home certificate certifies. */
  readonly keys: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
}

/** What a verified request asks for. */
export interface AgentRequest {
  readonly homeMesh: string;
  readonly agentId: string;
  readonly federation: string;
  readonly publicKey: KeyObject;
  /** The request as PEM, re-encoded from the DER that was verified. */
  readonly pem: string;
}

/** Writes the request (PEM). @throws Refused 'invalid-argument' for a bad mesh, id or federation. */
export async function createAgentRequest(input: AgentRequestInput): Promise<string> {
  if (!PATTERNS.meshCode.test(input.homeMesh)) throw new Refused('invalid-argument', `"${input.homeMesh.slice(0, 32)}" is not a mesh code.`);
  if (!isPrincipalId(input.agentId)) throw new Refused('invalid-argument', 'An agent id is 1–64 characters without control characters.');
  if (!PATTERNS.federationId.test(input.federation)) throw new Refused('invalid-argument', `"${input.federation.slice(0, 64)}" is not a federation id.`);
  const web = await toWebKeyPair(input.keys).catch((error: unknown) => {
    if (error instanceof CredentialError) throw new Refused(error.reason, error.message);
    throw error;
  });
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ O: [`Entente mesh ${input.homeMesh}`] }, { OU: ['boundary-agent'] }, { CN: [input.agentId] }],
    signingAlgorithm: signingAlgorithm(web.algorithm),
    keys: { privateKey: web.privateKey, publicKey: web.publicKey },
    extensions: [
      new x509.SubjectAlternativeNameExtension(
        [
          { type: 'url', value: principalUri(input.homeMesh, 'boundary-agent', input.agentId) },
          { type: 'url', value: federationUri(input.federation) },
        ],
        false,
      ),
    ],
  });
  return toPem(REQUEST_PEM_LABEL, new Uint8Array(request.rawData));
}

/**
 * Reads and verifies a request: one PEM block, its own signature valid (proof of possession,
 * RFC 2986 §3), exactly one boundary-agent URI and one federation URI, and a subject that says
 * the same. Refusals: `request-too-large`, `malformed-request`, `bad-request-signature`,
 * `unsupported-algorithm`, `wrong-request-names`.
 */
export async function readAgentRequest(pem: string): Promise<AgentRequest> {
  if (typeof pem !== 'string') throw new Refused('malformed-request', 'The certification request is not text.');
  if (pem.length > MAX_REQUEST_BYTES) throw new Refused('request-too-large', `The certification request is larger than ${MAX_REQUEST_BYTES} bytes; a real one is a few hundred.`);
  let der: Buffer;
  try {
    der = readSinglePem(pem, [REQUEST_PEM_LABEL, 'NEW CERTIFICATE REQUEST'], 'certification request').der;
  } catch (error) {
    throw new Refused('malformed-request', error instanceof CredentialError ? error.message : 'The certification request is not PEM.');
  }
  let request: InstanceType<typeof x509.Pkcs10CertificateRequest>;
  let publicKey: KeyObject;
  try {
    request = new x509.Pkcs10CertificateRequest(bytesFor(der));
    publicKey = createPublicKey({ key: Buffer.from(request.publicKey.rawData), format: 'der', type: 'spki' });
    // Trailing bytes after the request would give two encodings one meaning.
    if (Buffer.from(request.rawData).length !== der.length) throw new Error('trailing bytes');
  } catch {
    throw new Refused('malformed-request', 'The certification request cannot be parsed as PKCS#10 (RFC 2986).');
  }
  const algorithm = publicKey.asymmetricKeyType === 'ed25519' ? 'Ed25519' : publicKey.asymmetricKeyType === 'ec' && publicKey.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'P-256' : undefined;
  if (!algorithm) throw new Refused('unsupported-algorithm', 'The certification request is for a key Entente does not sign with; Ed25519 or P-256 only.');
  let valid: boolean;
  try {
    valid = await request.verify();
  } catch {
    valid = false;
  }
  if (!valid) throw new Refused('bad-request-signature', 'The certification request is not signed by the key it asks to certify.');

  const uris = sanUris(request);
  const agents = uris.map(parsePrincipalUri).filter((p) => p !== undefined);
  const federations = uris.map(parseFederationUri).filter((f) => f !== undefined);
  if (agents.length !== 1 || agents[0]!.role !== 'boundary-agent' || federations.length !== 1 || uris.length !== 2) {
    throw new Refused('wrong-request-names', 'The certification request must name exactly one boundary agent (urn:entente:<mesh>:boundary-agent:<id>) and one federation (urn:entente:federation:<id>), nothing else.');
  }
  const agent = agents[0]!;
  const expected = new x509.Name([{ O: [`Entente mesh ${agent.mesh}`] }, { OU: ['boundary-agent'] }, { CN: [agent.id] }]);
  if (request.subjectName.toString() !== expected.toString()) {
    throw new Refused('wrong-request-names', `The request's subject (${request.subject.slice(0, 200)}) does not name boundary agent ${agent.id} of mesh ${agent.mesh}.`);
  }
  return { homeMesh: agent.mesh, agentId: agent.id, federation: federations[0]!, publicKey, pem: toPem(REQUEST_PEM_LABEL, der) };
}

/** Every URI the extensionRequest's subjectAltName asks for; any other name kind is refused. */
function sanUris(request: InstanceType<typeof x509.Pkcs10CertificateRequest>): string[] {
  // The issued certificate copies nothing else from the request: only these names are read.
  let san: InstanceType<typeof x509.SubjectAlternativeNameExtension>;
  const found = request.getExtensions('2.5.29.17');
  if (found.length === 0) throw new Refused('wrong-request-names', 'The certification request asks for no subjectAltName; it must name the agent and the federation.');
  if (found.length > 1) throw new Refused('wrong-request-names', 'The certification request asks for more than one subjectAltName.');
  try {
    san = new x509.SubjectAlternativeNameExtension(bytesFor(new Uint8Array(found[0]!.rawData)));
  } catch {
    throw new Refused('malformed-request', "The certification request's subjectAltName cannot be read.");
  }
  return san.names.items.map((name) => {
    if (name.type !== 'url') throw new Refused('wrong-request-names', `The certification request asks for a ${name.type} name; only the agent and federation URIs are allowed.`);
    return name.value;
  });
}
