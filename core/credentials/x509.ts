/**
 * @peculiar/x509, set up once: it issues certificates and CRLs (node:crypto can verify them
 * but cannot make them). It needs the Reflect metadata polyfill and a WebCrypto provider.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

// Node's WebCrypto is the standard interface; only the type names differ from the DOM's.
x509.cryptoProvider.set(webcrypto as never);

export { x509 };
