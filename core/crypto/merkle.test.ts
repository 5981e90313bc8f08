/** RFC 6962 Merkle hashing against the Certificate Transparency reference tree, and proofs for every shape of tree. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { climbsToRoot, InclusionMemo, inclusionProof, leafHash, leafHashOfText, nodeHash, rootAndProofs, rootOf, verifyInclusion } from './merkle.js';

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

  it('hashes a leaf given as text exactly as its UTF-8 bytes, whatever characters it holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(leafHashOfText(text)).toBe(hex(leafHash(Buffer.from(text, 'utf8'))));
      }),
    );
    expect(leafHashOfText(reference.leafHash.entry)).toBe(reference.leafHash.hash);
  });

  it('verifies a path given in hex as it does in bytes, and refuses elements that are not 64 hex digits', () => {
    const tree = rootAndProofs(Array.from({ length: 13 }, (_, i) => leafHash(Buffer.from([i]))));
    const path = tree.proofs[5]!.map(hex);
    const leaf = hex(leafHash(Buffer.from([5])));
    expect(climbsToRoot(leaf, 5, 13, path, hex(tree.root))).toBe(true);
    for (const bad of [path[1]!.slice(1), `${path[1]!}0`, `${path[1]!.slice(0, 63)}g`, `z${path[1]!.slice(1)}`, '']) {
      expect(climbsToRoot(leaf, 5, 13, [path[0]!, bad, ...path.slice(2)], hex(tree.root)), JSON.stringify(bad)).toBe(false);
    }
    // Upper-case digits decode to the same bytes.
    expect(climbsToRoot(leaf, 5, 13, path.map((p) => p.toUpperCase()), hex(tree.root))).toBe(true);
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

  it('gives, with a memo, the verdict of the full climb for honest and damaged proofs in any order', () => {
    const query = fc.record({
      index: fc.nat(),
      damage: fc.constantFrom('none', 'none', 'none', 'sibling', 'index', 'leaf', 'short', 'long', 'uppercase', 'bytes'),
      at: fc.nat(),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.array(query, { minLength: 1, maxLength: 60 }), (size, queries) => {
        const tree = rootAndProofs(Array.from({ length: size }, (_, i) => leafHash(Buffer.from(`leaf ${i}`))));
        const memo = new InclusionMemo(hex(tree.root), size);
        let honest = 0;
        for (const { index: raw, damage, at } of queries) {
          const index = raw % size;
          let leaf = leafHash(Buffer.from(`leaf ${index}`));
          let claimed = index;
          const proof: (Buffer | string)[] = tree.proofs[index]!.map(hex);
          const j = proof.length > 0 ? at % proof.length : 0;
          if (damage === 'sibling' && proof.length > 0) proof[j] = hex(nodeHash(unhex(proof[j] as string), leaf));
          if (damage === 'index') claimed = (index + 1 + (at % Math.max(1, size - 1))) % size;
          if (damage === 'leaf') leaf = leafHash(Buffer.from(`other ${at}`));
          if (damage === 'short') proof.pop();
          if (damage === 'long') proof.push(hex(leaf));
          if (damage === 'uppercase' && proof.length > 0) proof[j] = (proof[j] as string).toUpperCase();
          if (damage === 'bytes' && proof.length > 0) proof[j] = unhex(proof[j] as string);
          const full = verifyInclusion(leaf, claimed, size, proof, tree.root);
          expect(verifyInclusion(leaf, claimed, size, proof, tree.root, memo)).toBe(full);
          if (full) honest += 1;
        }
        return honest >= 0;
      }),
      { numRuns: 300 },
    );
  });

  it('hashes about one node per leaf with a memo, records read in batch order, instead of log2(size)', () => {
    const size = 1000;
    const tree = rootAndProofs(Array.from({ length: size }, (_, i) => leafHash(Buffer.from(`leaf ${i}`))));
    const memo = new InclusionMemo(hex(tree.root), size);
    for (let index = 0; index < size; index++) {
      expect(verifyInclusion(leafHash(Buffer.from(`leaf ${index}`)), index, size, tree.proofs[index]!, tree.root, memo)).toBe(true);
    }
    // Without the memo: 10 per leaf. With it, a right child meets its proven sibling and hashes
    // nothing, and each other node of the tree is computed once.
    expect(memo.hashes / size).toBeLessThan(1.01);
    // A memo for another root or size is not consulted.
    expect(new InclusionMemo(hex(tree.root), size + 1).servesFor(hex(tree.root), size)).toBe(false);
    expect(new InclusionMemo(hex(tree.root), size).servesFor(hex(tree.root), size)).toBe(true);
  });
});
