import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consistencyProof, inclusionPath, leafHash, rangeRoot, RootAccumulator, verifyConsistency, verifyInclusion } from './tree.js';

const reference = JSON.parse(readFileSync(new URL('../crypto/vectors/rfc6962-reference-tree.json', import.meta.url), 'utf8')) as { entries: string[]; roots: string[] };
const referenceLeaves = reference.entries.map((hex) => leafHash(Buffer.from(hex, 'hex')));
const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
const flip = (b: Buffer) => {
  const c = Buffer.from(b);
  c[0]! ^= 1;
  return c;
};

describe('the log tree', () => {
  it('computes the reference tree’s roots, streaming and by range', () => {
    const acc = new RootAccumulator();
    expect(acc.root().toString('hex')).toBe(reference.roots[0]);
    referenceLeaves.forEach((leaf, i) => {
      acc.push(leaf);
      expect(acc.root().toString('hex')).toBe(reference.roots[i + 1]);
      expect(rangeRoot((j) => referenceLeaves[j]!, 0, i + 1).toString('hex')).toBe(reference.roots[i + 1]);
    });
  });

  it('builds inclusion paths that RFC 9162 verification accepts, for every leaf of trees up to 33', () => {
    const leaves = leavesOf(33);
    for (let size = 1; size <= 33; size++) {
      const root = rangeRoot((i) => leaves[i]!, 0, size);
      for (let index = 0; index < size; index++) {
        const path = inclusionPath((i) => leaves[i]!, index, size);
        expect(verifyInclusion(leaves[index]!, index, size, path, root)).toBe(true);
        if (path.length > 0) expect(verifyInclusion(leaves[index]!, index, size, [flip(path[0]!), ...path.slice(1)], root)).toBe(false);
      }
    }
  });

  it('proves every size consistent with every later size up to 40, and refuses altered proofs', () => {
    const leaves = leavesOf(40);
    const at = (i: number) => leaves[i]!;
    for (let second = 1; second <= 40; second++) {
      const secondRoot = rangeRoot(at, 0, second);
      for (let first = 1; first <= second; first++) {
        const firstRoot = rangeRoot(at, 0, first);
        const proof = consistencyProof(at, first, second);
        expect(verifyConsistency(first, second, firstRoot, secondRoot, proof)).toBe(true);
        if (first < second) {
          expect(verifyConsistency(first, second, flip(firstRoot), secondRoot, proof)).toBe(false);
          expect(verifyConsistency(first, second, firstRoot, flip(secondRoot), proof)).toBe(false);
          expect(verifyConsistency(first, second, firstRoot, secondRoot, proof.slice(1))).toBe(false);
          expect(verifyConsistency(first, second, firstRoot, secondRoot, [...proof.slice(0, -1), flip(proof.at(-1)!)])).toBe(false);
        }
      }
    }
  });

  it('refuses a rewritten history: a tree whose first leaves differ is not an extension', () => {
    const leaves = leavesOf(20);
    const forged = [...leaves];
    forged[3] = leafHash(Buffer.from('rewritten'));
    const firstRoot = rangeRoot((i) => leaves[i]!, 0, 10);
    const proof = consistencyProof((i) => forged[i]!, 10, 20);
    expect(verifyConsistency(10, 20, firstRoot, rangeRoot((i) => forged[i]!, 0, 20), proof)).toBe(false);
  });

  it('refuses impossible sizes', () => {
    const root = leafHash(Buffer.from('x'));
    expect(verifyConsistency(5, 4, root, root, [root])).toBe(false);
    expect(verifyConsistency(3, 3, root, flip(root), [])).toBe(false);
    expect(() => consistencyProof(() => root, 4, 3)).toThrow(RangeError);
    expect(() => inclusionPath(() => root, 3, 3)).toThrow(RangeError);
  });

  it('resumes from a saved frontier and keeps computing the same roots', () => {
    const leaves = leavesOf(70);
    for (const cut of [0, 1, 2, 3, 7, 8, 33, 64, 69]) {
      const first = new RootAccumulator();
      leaves.slice(0, cut).forEach((leaf) => first.push(leaf));
      const resumed = RootAccumulator.resume(cut, first.frontier());
      expect(resumed.root().equals(first.root())).toBe(true);
      leaves.slice(cut).forEach((leaf) => resumed.push(leaf));
      expect(resumed.root().equals(rangeRoot((i) => leaves[i]!, 0, 70))).toBe(true);
    }
    expect(() => RootAccumulator.resume(3, Buffer.alloc(32))).toThrow(RangeError);
  });
});
