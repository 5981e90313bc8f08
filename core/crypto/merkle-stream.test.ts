/** The streaming root builder against the recursive definition (rootOf) and the CT reference tree. */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leafHash, MerkleRootBuilder, rootOf } from './merkle.js';

const reference = JSON.parse(readFileSync(new URL('./vectors/rfc6962-reference-tree.json', import.meta.url), 'utf8')) as { entries: string[]; roots: string[] };
const leafOf = (i: number) => leafHash(Buffer.from(`leaf ${i}`));

describe('MerkleRootBuilder (streaming RFC 6962 root)', () => {
  it('matches the reference roots of the Certificate Transparency test tree for sizes 0..8', () => {
    const builder = new MerkleRootBuilder();
    expect(builder.root().toString('hex')).toBe(reference.roots[0]);
    reference.entries.forEach((entry, i) => {
      builder.push(leafHash(Buffer.from(entry, 'hex')));
      expect(builder.root().toString('hex'), `size ${i + 1}`).toBe(reference.roots[i + 1]);
    });
  });

  it('equals the whole-list root after every push, for every n from 0 to 300', () => {
    const leaves: Buffer[] = [];
    const builder = new MerkleRootBuilder();
    for (let n = 0; n <= 300; n++) {
      expect(builder.size).toBe(n);
      expect(builder.root().equals(rootOf(leaves)), `n = ${n}`).toBe(true);
      const leaf = leafOf(n);
      leaves.push(leaf);
      builder.push(leaf);
    }
  });

  it('equals the whole-list root for arbitrary leaves and sizes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 40 }), { maxLength: 200 }), (entries) => {
        const leaves = entries.map((e) => leafHash(Buffer.from(e)));
        const builder = new MerkleRootBuilder();
        for (const leaf of leaves) builder.push(leaf);
        expect(builder.root().equals(rootOf(leaves))).toBe(true);
      }),
    );
  });

  it('equals the whole-list root for large sizes around powers of two, holding at most log2(n)+1 nodes', () => {
    for (const n of [1023, 1024, 1025, 65_535, 65_536, 100_001]) {
      const leaves = Array.from({ length: n }, (_, i) => leafOf(i));
      const builder = new MerkleRootBuilder();
      for (const leaf of leaves) builder.push(leaf);
      expect(builder.root().equals(rootOf(leaves)), `n = ${n}`).toBe(true);
      // The subtrees held are n's binary digits: the memory bound, seen from outside.
      const held = (builder as unknown as { nodes: Buffer[] }).nodes.length;
      expect(held).toBe(n.toString(2).replaceAll('0', '').length);
    }
  });

  it('lets the root be read midway and more leaves follow', () => {
    const builder = new MerkleRootBuilder();
    const leaves: Buffer[] = [];
    for (let i = 0; i < 37; i++) {
      leaves.push(leafOf(i));
      builder.push(leaves.at(-1)!);
      if (i % 5 === 0) expect(builder.root().equals(rootOf(leaves))).toBe(true);
    }
    expect(builder.root().equals(rootOf(leaves))).toBe(true);
  });

  it('refuses a leaf that is not a 32-byte hash', () => {
    expect(() => new MerkleRootBuilder().push(createHash('sha1').update('x').digest())).toThrow(/32 bytes/);
  });
});
