/**
 * A national PKI made by the openssl command line (not our code), as deep as asked: a root and
 * a chain of intermediate CAs down to an issuing CA, EC P-256 keys, pathLenConstraints as tight
 * as a national PKI sets them. Used to prove Entente takes an issuing CA any level below its root.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

export interface OpensslPki {
  /** File names in the directory: the root's certificate, the issuing CA's certificate and (encrypted) key. */
  readonly rootPem: string;
  readonly issuerPem: string;
  readonly issuerKey: string;
  /** The CAs between the issuing CA and the root, nearest the root first (CN "Level 1 CA" …). */
  readonly intermediatePems: readonly string[];
  /** Writes a chain file of these levels (1 … depth - 1, and 0 for the root) and returns its name. */
  chain(name: string, levels: readonly number[]): string;
  /** The root's SHA-256 as openssl computes it: lowercase hex. */
  readonly rootSha256: string;
}

export interface PkiOptions {
  /** How many CAs below the root, the issuing CA included (1: the root issued it). */
  readonly depth: number;
  /** The key's passphrase (PKCS#8, AES-256-CBC): keys travel encrypted. */
  readonly passphrase: string;
  /** Overrides the pathLenConstraint of a level (0 is the root), to build a PKI that forbids its own depth. */
  readonly pathLength?: Readonly<Record<number, number>>;
}

/**
 * Level 0 is the root, level `depth` the issuing CA. A CA at level k may have `depth - k` CAs
 * below it: exactly enough for the issuing CA, which has pathlen 0 (it issues only end entities).
 */
export function makeOpensslPki(dir: string, options: PkiOptions): OpensslPki {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
  const { depth } = options;
  const pathLength = (level: number) => options.pathLength?.[level] ?? depth - level;
  const caExtensions = (level: number) => `basicConstraints=critical,CA:TRUE,pathlen:${pathLength(level)}\nkeyUsage=critical,keyCertSign,cRLSign\n`;
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

  writeFileSync(`${dir}/level-0.ext`, caExtensions(0));
  openssl('req', '-x509', ...ec, '-keyout', 'level-0.key', '-out', 'level-0.pem', '-days', '3650', '-subj', '/C=PL/O=MON/CN=POL National Root',
    '-addext', `basicConstraints=critical,CA:TRUE,pathlen:${pathLength(0)}`, '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  for (let level = 1; level <= depth; level += 1) {
    const name = `level-${level}`;
    const cn = level === depth ? `POL Issuing CA (level ${level})` : `POL Level ${level} CA`;
    openssl('req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/C=PL/O=MON/CN=${cn}`);
    writeFileSync(`${dir}/${name}.ext`, caExtensions(level));
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `level-${level - 1}.pem`, '-CAkey', `level-${level - 1}.key`, '-set_serial', String(1000 + level),
      '-out', `${name}.pem`, '-days', String(3650 - level * 100), '-extfile', `${name}.ext`);
  }
  openssl('pkcs8', '-topk8', '-in', `level-${depth}.key`, '-out', 'issuer.enc.key', '-v2', 'aes-256-cbc', '-passout', `pass:${options.passphrase}`);
  const fingerprint = openssl('x509', '-in', 'level-0.pem', '-noout', '-fingerprint', '-sha256');
  return {
    rootPem: 'level-0.pem',
    issuerPem: `level-${depth}.pem`,
    issuerKey: 'issuer.enc.key',
    intermediatePems: Array.from({ length: depth - 1 }, (_, i) => `level-${i + 1}.pem`),
    chain: (name, levels) => {
      writeFileSync(`${dir}/${name}`, levels.map((level) => readFileSync(`${dir}/level-${level}.pem`, 'utf8')).join(''));
      return name;
    },
    rootSha256: fingerprint.slice(fingerprint.indexOf('=') + 1).trim().replaceAll(':', '').toLowerCase(),
  };
}
