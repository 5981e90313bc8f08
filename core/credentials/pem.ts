/**
 * PEM text (RFC 7468): strict about base64 and matching BEGIN/END lines, lenient about text around
 * the blocks (openssl's `-text` output, comments), as §2 asks of parsers.
 */
import { CredentialError } from './errors.js';

export interface PemBlock {
  readonly label: string;
  /** RFC 1421 headers (only legacy encrypted keys carry them: `Proc-Type: 4,ENCRYPTED`). */
  readonly headers: ReadonlyMap<string, string>;
  readonly der: Buffer;
  /** The block's own text, BEGIN to END line. */
  readonly text: string;
}

/** No certificate, key or CRL Entente reads comes near this; larger input is refused unread. */
export const MAX_PEM_CHARS = 8 * 1024 * 1024;
const MAX_BLOCKS = 256;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function readPemBlocks(text: unknown): PemBlock[] {
  if (typeof text !== 'string') throw malformed('The input is not text.');
  if (text.length > MAX_PEM_CHARS) throw malformed('The PEM text is too large.');
  const blocks: PemBlock[] = [];
  let from = 0;
  for (;;) {
    const begin = text.indexOf('-----BEGIN ', from);
    if (begin < 0) break;
    const labelEnd = text.indexOf('-----', begin + 11);
    if (labelEnd < 0) throw malformed('A PEM BEGIN line is not closed.');
    const label = text.slice(begin + 11, labelEnd);
    if (!/^[A-Z0-9 ]{1,64}$/.test(label)) throw malformed('A PEM label is not valid.');
    const endLine = `-----END ${label}-----`;
    const end = text.indexOf(endLine, labelEnd + 5);
    if (end < 0) throw malformed(`The PEM block ${label} has no matching END line.`);
    const { headers, der } = decodeBody(text.slice(labelEnd + 5, end), label);
    blocks.push({ label, headers, der, text: text.slice(begin, end + endLine.length) });
    if (blocks.length > MAX_BLOCKS) throw malformed('The PEM text holds too many blocks.');
    from = end + endLine.length;
  }
  return blocks;
}

/** Exactly one block with one of the labels; any other block is an error, not ignored. */
export function readSinglePem(text: unknown, labels: readonly string[], what: string): PemBlock {
  const blocks = readPemBlocks(text);
  if (blocks.length !== 1 || !labels.includes(blocks[0]!.label)) {
    throw malformed(`Expected one PEM ${what} (${labels.join(' or ')}), found ${blocks.length === 0 ? 'none' : blocks.map((b) => b.label).join(', ')}.`);
  }
  return blocks[0]!;
}

export function toPem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function decodeBody(body: string, label: string): { headers: Map<string, string>; der: Buffer } {
  const lines = body.split(/\r?\n/);
  const headers = new Map<string, string>();
  let index = 0;
  // RFC 1421 §4.4: headers, if any, come first and end at a blank line.
  while (index < lines.length && lines[index]!.trim() === '') index += 1;
  if (index < lines.length && lines[index]!.includes(':')) {
    while (index < lines.length && lines[index]!.trim() !== '') {
      const line = lines[index]!;
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformed(`The PEM block ${label} has a malformed header.`);
      headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      index += 1;
    }
  }
  const base64 = lines.slice(index).join('').replace(/[ \t]/g, '');
  if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64)) {
    throw malformed(`The PEM block ${label} is not valid base64.`);
  }
  return { headers, der: Buffer.from(base64, 'base64') };
}

function malformed(message: string): CredentialError {
  return new CredentialError('malformed-pem', message);
}
