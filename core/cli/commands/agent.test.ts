/** `entente agent …` across two homes: a DEU agent cross-certified by NLD through files alone. */
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-agent-cli-')));
afterEach(() => dir.remove());

async function run(home: string, argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: { ENTENTE_PASSPHRASE: 'agent cli test' }, untilStopped: () => Promise.resolve(), readStdin: () => Promise.resolve('') };
  const code = await main([...argv, '--home', dir.file(home)], io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), json: () => JSON.parse(stdout.join('\n')) as Record<string, unknown> };
}

/** DEU and NLD with an active federation, and boundary agent a1 enrolled at DEU. */
async function federated(): Promise<string> {
  for (const code of ['DEU', 'NLD']) {
    await run(code, ['mesh', 'init', '--mesh', code]);
    await run(code, ['mesh', 'card', '--out', dir.file(`${code}.card.json`)]);
  }
  const { id } = (await run('DEU', ['federation', 'propose', '--partner', dir.file('NLD.card.json'), '--purpose', 'Exercise', '--classes', 'track', '--ceiling', 'SECRET', '--expires', '2099-01-31T00:00:00Z', '--exit', 'purge', '--json'])).json() as { id: string };
  await run('DEU', ['federation', 'export', '--id', id, '--out', dir.file('f.json')]);
  await run('NLD', ['federation', 'import', dir.file('f.json')]);
  await run('NLD', ['federation', 'sign', '--id', id]);
  await run('NLD', ['federation', 'export', '--id', id, '--out', dir.file('f.json')]);
  await run('DEU', ['federation', 'import', dir.file('f.json')]);
  expect((await run('DEU', ['device', 'enroll', '--device', 'a1', '--role', 'boundary-agent', '--json'])).code).toBe(0);
  return id;
}

describe('entente agent', () => {
  it('requests, certifies, installs, lists and revokes through files', async () => {
    const id = await federated();
    const request = await run('DEU', ['agent', 'request', '--agent', 'a1', '--federation', id, '--out', dir.file('a1.csr'), '--json']);
    expect(request.json()).toMatchObject({ ok: true, agent: 'a1', federation: id });
    const certified = await run('NLD', ['agent', 'certify', '--request', dir.file('a1.csr'), '--federation', id, '--out', dir.file('a1.pem'), '--json']);
    expect(certified.json()).toMatchObject({ ok: true, partner: 'DEU', agent: 'a1', federation: id });
    const installed = await run('DEU', ['agent', 'install', '--certificate', dir.file('a1.pem'), '--json']);
    expect(installed.json()).toMatchObject({ ok: true, agent: 'a1', partner: 'NLD', federation: id, sha256: certified.json().certificate });

    expect((await run('DEU', ['agent', 'list', '--json'])).json()).toMatchObject({ agents: [{ id: 'a1', status: 'active', partnerCertificates: [{ partner: 'NLD', federation: id, status: 'active' }] }], issued: [] });
    expect((await run('NLD', ['agent', 'list'])).stdout).toMatch(new RegExp(`issued to DEU a1 +${id} +active`));

    const revoked = await run('NLD', ['agent', 'revoke', '--mesh', 'DEU', '--agent', 'a1', '--json']);
    expect(revoked.json()).toMatchObject({ ok: true, crlNumber: 1, revoked: [certified.json().certificate] });
    expect((await run('NLD', ['agent', 'list', '--json'])).json()).toMatchObject({ issued: [{ status: 'revoked' }] });
    expect((await run('NLD', ['audit', 'verify', '--json'])).json()).toMatchObject({ ok: true });
  });

  it('refuses a garbage request and a wrong usage by name', async () => {
    const id = await federated();
    writeFileSync(dir.file('junk.csr'), '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n');
    const junk = await run('NLD', ['agent', 'certify', '--request', dir.file('junk.csr'), '--federation', id, '--out', dir.file('x.pem'), '--json']);
    expect(junk.code).toBe(1);
    expect(junk.json()).toMatchObject({ ok: false, failures: [{ reason: 'malformed-request' }] });
    const unknown = await run('DEU', ['agent', 'request', '--agent', 'nobody', '--federation', id, '--out', dir.file('n.csr'), '--json']);
    expect(unknown.json()).toMatchObject({ failures: [{ reason: 'not-enrolled' }] });
    expect((await run('DEU', ['agent', 'request', '--agent', 'a1', '--federation', 'X', '--out', dir.file('n.csr')])).code).toBe(2);
    expect((await run('DEU', ['agent', 'install', '--certificate', dir.file('missing.pem'), '--json'])).json()).toMatchObject({ failures: [{ reason: 'unreadable-file' }] });
  });
});
