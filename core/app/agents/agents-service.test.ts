/**
 * Boundary agents between real homes: a DEU agent's PKCS#10 request, NLD's certificate for it
 * (both cross-checked by openssl), installed at home; the hello it signs accepted by NLD, and
 * each refusal of decision 0005 produced by a real fault, by name.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAgentRequest, readAgentRequest } from '../../boundary/agent-request.js';
import { HELLO_TYPE, signHello, type HelloBody } from '../../boundary/hello.js';
import { generateKeyPair, parseCertificate } from '../../credentials/index.js';
import { payloadOf, type DsseEnvelope } from '../../crypto/dsse.js';
import { declarationFor, type TestMesh } from '../../federation/test-fixtures.js';
import { latestCrls, readCertificate } from '../../store/mesh-store.js';
import { makeTempDir } from '../../test-support/temp-dir.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';

const home = useTestHomes('entente-agents-');

function declarationOf(hs: TestHome[], overrides: Parameters<typeof declarationFor>[1] = {}) {
  const meshes = hs.map((h) => ({ code: h.code, card: h.mesh.card() }) as unknown as TestMesh);
  return declarationFor(meshes, overrides);
}

const carry = (from: TestHome, to: TestHome, id: string) => to.federations.import(JSON.stringify(from.federations.export(id)));

/** Two homes with an active federation, and agent a1 of DEU enrolled (P-256, for openssl). */
async function federated(overrides: Parameters<typeof declarationFor>[1] = {}) {
  const [deu, nld] = [await home('DEU'), await home('NLD')];
  const { id } = await deu.federations.propose(declarationOf([deu, nld], overrides));
  await carry(deu, nld, id);
  await nld.federations.sign(id);
  await carry(nld, deu, id);
  await deu.credentials.enrol({ role: 'boundary-agent', id: 'a1', algorithm: 'P-256' });
  return { deu, nld, id };
}

/** a1 requests, NLD certifies, DEU installs. */
async function crossCertified(overrides: Parameters<typeof declarationFor>[1] = {}) {
  const homes = await federated(overrides);
  const { deu, nld, id } = homes;
  const { pem: requestPem } = await deu.agents.request({ agent: 'a1', federation: id });
  const issued = await nld.agents.certify({ requestPem, federation: id });
  await deu.agents.install({ certificatePem: issued.pem });
  return { ...homes, requestPem, issued };
}

/** The hello's body, decoded. */
const bodyOf = (envelope: DsseEnvelope) => JSON.parse(payloadOf(envelope).toString('utf8')) as HelloBody;

describe('boundary agents across two homes', () => {
  it('round-trips request → certify → install, and openssl accepts the request and the certificate', async () => {
    const { deu, nld, id, requestPem, issued } = await crossCertified();
    const dir = makeTempDir('entente-agents-openssl-');
    try {
      writeFileSync(dir.file('req.pem'), requestPem);
      const reqOut = execFileSync('/usr/bin/openssl', ['req', '-in', dir.file('req.pem'), '-verify', '-noout', '-text'], { encoding: 'utf8', stdio: 'pipe' });
      expect(reqOut).toContain('URI:urn:entente:DEU:boundary-agent:a1');
      expect(reqOut).toContain(`URI:urn:entente:federation:${id}`);

      const nldMesh = nld.context.reading().mesh();
      writeFileSync(dir.file('root.pem'), nldMesh.anchorPem);
      writeFileSync(dir.file('cert.pem'), issued.pem);
      // The issuing CA as untrusted, when the mesh has one below its root.
      const untrusted = nldMesh.caPems.length === 0 ? [] : ['-untrusted', dir.file('ca.pem')];
      writeFileSync(dir.file('ca.pem'), nldMesh.caPems.join(''));
      const verifyOut = execFileSync('/usr/bin/openssl', ['verify', '-CAfile', dir.file('root.pem'), ...untrusted, dir.file('cert.pem')], { encoding: 'utf8', stdio: 'pipe' });
      expect(verifyOut.trim()).toBe(`${dir.file('cert.pem')}: OK`);
      const text = execFileSync('/usr/bin/openssl', ['x509', '-in', dir.file('cert.pem'), '-noout', '-text'], { encoding: 'utf8' });
      expect(text).toContain('2.25.121034695760258903549271907082826566419.1.3');
      expect(text).toMatch(/Subject: O ?= ?Entente mesh DEU, OU ?= ?boundary-agent, CN ?= ?a1/);
    } finally {
      dir.remove();
    }

    // Cut to the federation's expiry; the same key as a1's home certificate.
    const declaration = nld.federations.export(id).declaration as { validity: { expires: string } };
    expect(Date.parse(issued.notAfter)).toBeLessThanOrEqual(Date.parse(declaration.validity.expires));
    const homeSha = deu.credentials.principals(['boundary-agent'])[0]!.certificateSha256;
    expect(parseCertificate(issued.pem).publicKey.equals(parseCertificate(readCertificate(deu.db, homeSha)!.pem).publicKey)).toBe(true);

    expect(deu.agents.list().agents).toMatchObject([{ id: 'a1', status: 'active', partnerCertificates: [{ partner: 'NLD', federation: id, sha256: issued.sha256, status: 'active' }] }]);
    expect(nld.agents.list().issued).toMatchObject([{ partner: 'DEU', agent: 'a1', federation: id, sha256: issued.sha256, status: 'active', revokedAt: null }]);
    const reasons = (h: TestHome) => h.db.prepare("SELECT json_extract(entry, '$.why.reasons[0]') FROM audit_entries WHERE type = 'credential' ORDER BY seq").pluck().all();
    expect(reasons(nld)).toContain('certified');
    expect(reasons(deu)).toContain('installed');
    expect(deu.audit.verify().failures).toEqual([]);
    expect(nld.audit.verify().failures).toEqual([]);
  });

  it('refuses to certify under another federation, for a non-partner, or from a request not signed by its key', async () => {
    const { deu, nld, id, requestPem } = await federated().then(async (h) => ({ ...h, requestPem: (await h.deu.agents.request({ agent: 'a1', federation: h.id })).pem }));
    const count = () => nld.db.prepare('SELECT COUNT(*) FROM agent_issued_certificates').pluck().get();
    expect(await refusal(() => nld.agents.certify({ requestPem, federation: 'other-federation' }))).toBe('federation-mismatch');
    const pol = await home('POL');
    const polAgent = generateKeyPair('Ed25519');
    const polRequest = await createAgentRequest({ homeMesh: 'POL', agentId: 'p1', federation: id, keys: polAgent });
    expect(await refusal(() => nld.agents.certify({ requestPem: polRequest, federation: id }))).toBe('not-a-partner');
    expect(await refusal(() => pol.agents.certify({ requestPem, federation: id }))).toBe('unknown-federation');
    // One flipped bit in the signature's last byte: the request no longer proves possession.
    const der = Buffer.from(requestPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
    der.writeUInt8(der.at(-1)! ^ 0x01, der.length - 1);
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(await refusal(() => nld.agents.certify({ requestPem: tampered, federation: id }))).toBe('bad-request-signature');
    expect(count()).toBe(0);
    void deu;
  });

  it('refuses malformed and oversized requests by name', async () => {
    expect(await refusal(() => readAgentRequest('not a request'))).toBe('malformed-request');
    expect(await refusal(() => readAgentRequest('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n'))).toBe('malformed-request');
    expect(await refusal(() => readAgentRequest(`-----BEGIN CERTIFICATE REQUEST-----\n${'A'.repeat(20_000)}\n-----END CERTIFICATE REQUEST-----\n`))).toBe('request-too-large');
    const keys = generateKeyPair('P-256');
    const good = await createAgentRequest({ homeMesh: 'DEU', agentId: 'a1', federation: 'baltic-shield', keys });
    expect(await readAgentRequest(good)).toMatchObject({ homeMesh: 'DEU', agentId: 'a1', federation: 'baltic-shield' });
    expect(await refusal(() => readAgentRequest(good + good))).toBe('malformed-request');
  });

  it('refuses to install a certificate for another key, or from no partner', async () => {
    const { deu, nld, id } = await federated();
    const other = generateKeyPair('P-256');
    const wrongKey = await nld.agents.certify({ requestPem: await createAgentRequest({ homeMesh: 'DEU', agentId: 'a1', federation: id, keys: other }), federation: id });
    expect(await refusal(() => deu.agents.install({ certificatePem: wrongKey.pem }))).toBe('key-mismatch');
    // A certificate DEU's own CA issued (its home certificate) names no federation: not a partner certificate.
    const homePem = readCertificate(deu.db, deu.credentials.principals(['boundary-agent'])[0]!.certificateSha256)!.pem;
    expect(await refusal(() => deu.agents.install({ certificatePem: homePem }))).toBe('not-an-agent-certificate');
    expect(deu.db.prepare('SELECT COUNT(*) FROM agent_partner_certificates').pluck().get()).toBe(0);
  });

  it('signs a hello NLD accepts, once per bundle', async () => {
    const { deu, nld, id } = await crossCertified();
    const { envelope, signer } = await deu.agents.helloFor({ to: 'NLD', federation: id });
    expect(signer.keyid).toBe(deu.credentials.principals(['boundary-agent'])[0]!.certificateSha256);
    const bundle = 'b'.repeat(64);
    const verdict = nld.agents.checkIncomingHello(envelope, undefined, { bundle });
    expect(verdict).toMatchObject({ ok: true, agent: { mesh: 'DEU', id: 'a1' }, from: 'DEU', federation: { id, version: 1 }, homeCertificateSha256: signer.keyid });
    // The same bundle again (a re-import) is the same hello; another bundle with its nonce is a replay.
    expect(nld.agents.checkIncomingHello(envelope, undefined, { bundle }).ok).toBe(true);
    expect(nld.agents.checkIncomingHello(envelope, undefined, { bundle: 'c'.repeat(64) })).toMatchObject({ ok: false, reason: 'replayed-hello' });
    // No certificate from POL: DEU cannot even write one to it.
    expect(await refusal(() => deu.agents.helloFor({ to: 'POL', federation: id }))).toBe('not-a-partner');
  });

  it('refuses each forged or misdirected hello by name', async () => {
    const { deu, nld, id } = await crossCertified();
    const { envelope, signer } = await deu.agents.helloFor({ to: 'NLD', federation: id });
    const body = bodyOf(envelope);
    const resign = (changes: Partial<HelloBody>, key = signer.key, keyid = signer.keyid) => signHello({ ...body, nonce: fresh(), ...changes }, key, keyid);
    const reason = (h: TestHome, e: unknown) => {
      const verdict = h.agents.checkIncomingHello(e);
      return verdict.ok ? 'accepted' : verdict.reason;
    };

    expect(reason(deu, envelope)).toBe('wrong-recipient');
    expect(reason(nld, resign({ federation: { ...body.federation, id: 'no-such-federation' } }))).toBe('no-federation');
    expect(reason(nld, resign({ federation: { ...body.federation, version: 2 } }))).toBe('federation-mismatch');
    expect(reason(nld, resign({ federation: { ...body.federation, digest: 'd'.repeat(64) } }))).toBe('federation-mismatch');

    // Signed with the right key but claiming to be another mesh's agent.
    expect(reason(nld, resign({ agent: { mesh: 'DEU', id: 'a2' } }))).toBe('unknown-agent');
    // A home chain to another anchor: POL's own agent, calling itself DEU's.
    const pol = await home('POL');
    await pol.credentials.enrol({ role: 'boundary-agent', id: 'a1', algorithm: 'P-256' });
    const polSha = pol.credentials.principals(['boundary-agent'])[0]!.certificateSha256;
    const polKey = await pol.context.writing().keyring.key(polSha);
    const polHome = { leaf: readCertificate(pol.db, polSha)!.pem, intermediates: [...pol.context.reading().mesh().caPems] };
    expect(reason(nld, resign({ certificates: { ...body.certificates, home: polHome } }, polKey, polSha))).toBe('unknown-agent');
    // A hello from POL, which no federation here joins.
    expect(reason(nld, resign({ from: 'POL', agent: { mesh: 'POL', id: 'a1' }, certificates: { ...body.certificates, home: polHome } }, polKey, polSha))).toBe('not-a-partner');

    // No partner certificate from NLD: the home certificate in its place.
    expect(reason(nld, resign({ certificates: { ...body.certificates, partner: body.certificates.home } }))).toBe('not-certified-here');
    // NLD's certificate for another key (made for the same agent name).
    const wrongKey = await nld.agents.certify({ requestPem: await createAgentRequest({ homeMesh: 'DEU', agentId: 'a1', federation: id, keys: generateKeyPair('P-256') }), federation: id });
    expect(reason(nld, resign({ certificates: { ...body.certificates, partner: { leaf: wrongKey.pem, intermediates: [] } } }))).toBe('not-certified-here');
    // NLD's certificate for another agent of DEU.
    await deu.credentials.enrol({ role: 'boundary-agent', id: 'a2', algorithm: 'Ed25519' });
    const a2 = await nld.agents.certify({ requestPem: (await deu.agents.request({ agent: 'a2', federation: id })).pem, federation: id });
    expect(reason(nld, resign({ certificates: { ...body.certificates, partner: { leaf: a2.pem, intermediates: [] } } }))).toBe('not-certified-here');

    // One flipped character in the payload (the nonce, still hex), or in the signature.
    const flipped = Buffer.from(JSON.stringify({ ...body, nonce: body.nonce.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }));
    expect(reason(nld, { ...envelope, payload: flipped.toString('base64') })).toBe('bad-signature');
    const sig = envelope.signatures[0]!.sig;
    const badSig = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
    expect(reason(nld, { ...envelope, signatures: [{ ...envelope.signatures[0]!, sig: badSig }] })).toBe('bad-signature');
    expect(reason(nld, { ...envelope, signatures: [{ ...envelope.signatures[0]!, keyid: 'e'.repeat(64) }] })).toBe('bad-signature');
    expect(reason(nld, { payloadType: envelope.payloadType, payload: Buffer.from('{"type":').toString('base64'), signatures: envelope.signatures })).toBe('malformed-hello');
    expect(reason(nld, 'hello')).toBe('malformed-hello');

    // The genuine one still passes, and nothing above consumed its nonce.
    expect(reason(nld, envelope)).toBe('accepted');
    void HELLO_TYPE;
  });

  it('refuses a hello under an expired, withdrawn or superseded federation', async () => {
    const { deu, nld, id } = await crossCertified();
    const { envelope } = await deu.agents.helloFor({ to: 'NLD', federation: id });
    const declaration = nld.federations.export(id).declaration as { validity: { expires: string } };
    expect(nld.agents.checkIncomingHello(envelope, new Date(Date.parse(declaration.validity.expires) + 1000))).toMatchObject({ ok: false, reason: 'federation-inactive' });

    // Superseded: version 2 is in force at NLD; the hello still acts under version 1.
    await deu.federations.propose({ ...declarationOf([deu, nld]), version: 2, purpose: 'Exercise BALTIC SHIELD, phase 2' });
    await carry(deu, nld, id);
    await nld.federations.sign(id);
    expect(nld.agents.checkIncomingHello(envelope)).toMatchObject({ ok: false, reason: 'federation-mismatch' });

    await nld.federations.withdraw(id, 'Exercise ended');
    expect(nld.agents.checkIncomingHello(envelope)).toMatchObject({ ok: false, reason: 'federation-inactive' });
  });

  it('refuses a hello once its home mesh revoked the agent', async () => {
    const { deu, nld, id } = await crossCertified();
    const first = await deu.agents.helloFor({ to: 'NLD', federation: id });
    // DEU revokes a1 at home: its CRL, carried to NLD, makes a1's home certificate unusable.
    await deu.credentials.revoke({ role: 'boundary-agent', id: 'a1' });
    const deuCrls = latestCrls(deu.db).map((c) => c.pem);
    // Without DEU's CRL NLD cannot know; with it, it refuses.
    expect(nld.agents.checkIncomingHello(first.envelope).ok).toBe(true);
    expect(nld.agents.checkIncomingHello(first.envelope, undefined, { partnerCrls: deuCrls })).toMatchObject({ ok: false, reason: 'agent-revoked' });
    expect(await refusal(() => deu.agents.helloFor({ to: 'NLD', federation: id }))).toBe('no-certified-agent');
  });

  it('refuses a hello once the receiver revoked the certificate it issued', async () => {
    const again = await crossCertified();
    const hello = await again.deu.agents.helloFor({ to: 'NLD', federation: again.id });
    expect(again.nld.agents.checkIncomingHello(hello.envelope).ok).toBe(true);
    const revoked = await again.nld.agents.revoke({ partner: 'DEU', agent: 'a1' });
    expect(revoked.revoked).toEqual([again.issued.sha256]);
    expect(again.nld.agents.checkIncomingHello(hello.envelope)).toMatchObject({ ok: false, reason: 'agent-revoked' });
    expect(again.nld.agents.list().issued).toMatchObject([{ status: 'revoked' }]);
    // A later device revocation's CRL still lists the agent certificate.
    await again.nld.credentials.revoke({ role: 'device', id: 'sensor-1' });
    expect(again.nld.agents.checkIncomingHello(hello.envelope)).toMatchObject({ ok: false, reason: 'agent-revoked' });
    expect(await refusal(() => again.nld.agents.revoke({ partner: 'DEU', agent: 'a1' }))).toBe('not-certified');
  });
});

function fresh(): string {
  return Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('hex');
}
