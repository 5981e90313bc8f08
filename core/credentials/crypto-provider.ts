/**
 * @peculiar/x509, set up once for the whole folder: it writes certificates and CRLs (RFC 5280),
 * which node:crypto can read and verify but cannot make. Import `x509` from here, never directly.
 */
// The library's ASN.1 schema decorators need the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

// Node's WebCrypto is the standard interface; only its TypeScript names differ from the DOM's
// (and this file is type-checked under both: the web config reaches it through type imports).
x509.cryptoProvider.set(webcrypto as never);

/** Bytes as the library's BufferSource parameters want them, whichever lib typings are in force. */
export function bytesFor(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

export { x509 };
