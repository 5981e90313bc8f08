/**
 * The published declaration schema (docs/federation/declaration.schema.json) is generated from
 * the one the code enforces, and the documented examples are valid declarations. Regenerate the
 * file with `ENTENTE_WRITE_SCHEMA=1 npx vitest run core/federation/schema.test.ts`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DsseSignature } from '../crypto/dsse.js';
import { Declaration, parseDeclaration } from './declaration.js';
import { signatureReport } from './signatures.js';

const docs = new URL('../../docs/federation/', import.meta.url);
const schemaFile = new URL('declaration.schema.json', docs);

function generated(): string {
  const schema = z.toJSONSchema(Declaration, { io: 'input', unrepresentable: 'any' });
  const published = {
    $id: 'https://entente.example/schemas/federation-declaration-v1.json',
    title: 'Entente federation declaration, version 1',
    description: 'Checked by core/federation/declaration.ts; rules across fields (partners named once, scope between partners, classes the sender publishes, expiry after start, handling for retained data, an arbitration naming only partners, declared classes and weighed fields) are in docs/federation/README.md.',
    ...schema,
  };
  return `${JSON.stringify(published, null, 2)}\n`;
}

describe('the published declaration schema', () => {
  it('is the schema the code enforces', () => {
    if (process.env.ENTENTE_WRITE_SCHEMA) writeFileSync(schemaFile, generated());
    expect(readFileSync(schemaFile, 'utf8')).toBe(generated());
  });

  it('accepts every documented example', () => {
    const examples = readdirSync(new URL('examples/', docs)).filter((f) => f.endsWith('.declaration.json'));
    expect(examples.length).toBeGreaterThan(0);
    for (const file of examples) {
      const example = JSON.parse(readFileSync(new URL(`examples/${file}`, docs), 'utf8')) as unknown;
      expect(() => parseDeclaration(example), file).not.toThrow();
    }
  });
});

describe('the documented exchange file', () => {
  it('carries a valid declaration signed by every partner (real signatures, made by `entente federation sign`)', () => {
    const exchange = JSON.parse(readFileSync(new URL('examples/exchange.json', docs), 'utf8')) as { declaration: unknown; signatures: DsseSignature[] };
    const declaration = parseDeclaration(exchange.declaration);
    expect(signatureReport(declaration, exchange.signatures, null, new Date('2026-12-01T00:00:00Z'))).toMatchObject({ complete: true, unattributed: [] });
  });
});
