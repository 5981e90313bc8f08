/** RFC 6962 Merkle hashing against the Certificate Transparency reference tree, and proofs for every shape of tree. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inclusionProof, leafHash, nodeHash, rootAndProofs, rootOf, verifyInclusion } from './merkle.js';

const reference = JSON.parse(readFileSync(new URL('./vectors/rfc6962-reference-tree.json', import.meta.url), 'utf8')) as {
  entries: string[];
  roots: string[];
  inclusion: { index: number; size: number; proof: string[] }[];
  leafHash: { entry: string; hash: string };
  nodeHash: { left: string; right: string; hash: string };
};
const hex = (b: Buffer) => b.toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');
const leaves = reference.entries.map((entry) => leafHash(unhex(entry)));

describe('RFC 6962 Merkle tree', () => {
  it('hashes leaves and nodes with their domain-separating prefixes', () => {
    expect(hex(leafHash(Buffer.from(reference.leafHash.entry)))).toBe(reference.leafHash.hash);
    expect(hex(nodeHash(Buffer.from(reference.nodeHash.left), Buffer.from(reference.nodeHash.right)))).toBe(reference.nodeHash.hash);
  });

  it('matches the reference root for every size 0..8, by both builders', () => {
    for (let size = 0; size <= leaves.length; size++) {
      expect(hex(rootOf(leaves.slice(0, size))), `size ${size}`).toBe(reference.roots[size]);
      expect(hex(rootAndProofs(leaves.slice(0, size)).root), `size ${size}`).toBe(reference.roots[size]);
    }
  });

  it.each(reference.inclusion)('matches and verifies the reference audit path of leaf $index in a tree of $size', ({ index, size, proof }) => {
    const tree = leaves.slice(0, size);
    expect(inclusionProof(tree, index).map(hex)).toEqual(proof);
    expect(rootAndProofs(tree).proofs[index]!.map(hex)).toEqual(proof);
    expect(verifyInclusion(tree[index]!, index, size, proof.map(unhex), unhex(reference.roots[size]!))).toBe(true);
  });

  it('proves every leaf of every tree up to 70 leaves, and the one-pass builder agrees with the definition', () => {
    const many = Array.from({ length: 70 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
    for (let size = 1; size <= many.length; size++) {
      const tree = many.slice(0, size);
      const { root, proofs } = rootAndProofs(tree);
      expect(root.equals(rootOf(tree))).toBe(true);
      for (let i = 0; i < size; i++) {
        expect(proofs[i]!.map(hex)).toEqual(inclusionProof(tree, i).map(hex));
        expect(verifyInclusion(tree[i]!, i, size, proofs[i]!, root)).toBe(true);
      }
    }
  });

  it('refuses any change to the leaf, index, path or root, and an index outside the tree', () => {
    const tree = Array.from({ length: 13 }, (_, i) => leafHash(Buffer.from([i])));
    const { root, proofs } = rootAndProofs(tree);
    fc.assert(
      fc.property(fc.nat(12), fc.nat(6), fc.nat(31), (index, change, byte) => {
        const proof: Buffer[] = proofs[index]!.map((p) => Buffer.from(p));
        let leaf = tree[index]!;
        let at = index;
        let size = 13;
        let top: Buffer = root;
        if (change === 0) leaf = tree[(index + 1) % 13]!;
        if (change === 1) at = (index + 1 + (byte % 12)) % 13;
        // (A larger size can share a path's shape, so size is bound by the batch signature, not here.)
        if (change === 2) size = index;
        const target = proof[byte % Math.max(1, proof.length)];
        if (change === 3 && target) target[byte] = target[byte]! ^ 1;
        if (change === 4) proof.push(leaf);
        if (change === 5) proof.pop();
        if (change === 6) top = Buffer.from(root.map((b, i) => (i === byte ? b ^ 0x80 : b)));
        expect(verifyInclusion(leaf, at, size, proof, top)).toBe(false);
      }),
      { numRuns: 500 },
    );
    expect(verifyInclusion(tree[0]!, 13, 13, proofs[0]!, root)).toBe(false);
    expect(verifyInclusion(tree[0]!, -1, 13, proofs[0]!, root)).toBe(false);
    expect(verifyInclusion(tree[0]!, 0, 13, [Buffer.alloc(31), ...proofs[0]!.slice(1)], root)).toBe(false);
  });
});
