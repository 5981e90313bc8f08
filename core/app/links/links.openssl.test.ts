/**
 * The link's TLS as an independent client sees it (RFC 8446): openssl s_client with DEU's agent
 * certificate negotiates TLS 1.3 with our server, which asked for its certificate; a client
 * limited to TLS 1.2 is refused at the handshake and recorded (`link-refused`, `bad-handshake`).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { federate } from '../../test-support/federated-homes.js';
import { makeTempDir } from '../../test-support/temp-dir.js';
import { useTestHomes } from '../../test-support/test-homes.js';
import { linkAgent } from './handshake.js';
import type { LinkServer } from './service.js';

const OPENSSL = '/usr/bin/openssl';
const home = useTestHomes('entente-links-openssl-');
const servers: LinkServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

function sClient(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(OPENSSL, ['s_client', ...args], { timeout: 10_000 }, (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`));
    child.stdin?.end();
  });
}

describe('the link over TLS, checked with openssl', () => {
  it('negotiates TLS 1.3 with a client certificate and refuses TLS 1.2', async () => {
    const dir = makeTempDir('entente-links-openssl-');
    try {
      const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
      const server = await nld!.links.serve({ port: 0 });
      servers.push(server);
      const { identity } = await linkAgent(deu!.context.writing());
      writeFileSync(dir.file('key.pem'), identity.key.export({ format: 'pem', type: 'pkcs8' }) as string);
      writeFileSync(dir.file('chain.pem'), identity.chain.join('\n'));
      const connect = ['-connect', `127.0.0.1:${server.port}`, '-cert', dir.file('chain.pem'), '-key', dir.file('key.pem')];

      const modern = await sClient([...connect, '-tls1_3']);
      expect(modern).toMatch(/New, TLSv1\.3, Cipher is TLS_/);
      expect(modern).toMatch(/Requested Signature Algorithms|Acceptable client certificate CA names|Client Certificate Types/);
      expect(modern).toMatch(/s:O = Entente mesh NLD, OU = boundary-agent, CN = gw-1/);

      const old = await sClient([...connect, '-tls1_2']);
      expect(old).not.toMatch(/New, TLSv1\.2, Cipher is [A-Z]/);
      expect(old).toMatch(/alert protocol version|Cipher is \(NONE\)/);
      await expect.poll(() => nld!.integrity.list({ kind: 'link-refused', limit: 10 }).events.map((e) => (e.evidence as { reason: string }).reason)).toContain('bad-handshake');
    } finally {
      dir.remove();
    }
  });
});
