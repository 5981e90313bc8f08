/**
 * The log's Merkle tree (RFC 6962 §2.1, RFC 9162 §2.1) over leaf hashes held by the caller:
 * a streaming root accumulator for verifying a whole log in one pass, and inclusion and
 * consistency proofs between any two sizes. Leaf and node hashing are the ones the
 * observation batches use (core/crypto/merkle.ts), so both trees read the same way.
 */
import { nodeHash, rootOf, splitPoint } from '../crypto/merkle.js';

export { leafHash, nodeHash, verifyInclusion } from '../crypto/merkle.js';

/** Leaf hash `i` of the log; called O(n) times per proof, so it should be an array lookup. */
export type LeafAt = (index: number) => Buffer;

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT = rootOf([]);

/**
 * Subtree roots already computed, by range: proofs for many leaves of one tree share most of
 * their siblings, so an export of ten thousand proofs hashes the tree about once, not ten
 * thousand times.
 */
export type SubtreeCache = Map<string, Buffer>;

/** MTH(D[lo:hi]), recursion depth log2(hi - lo). */
export function rangeRoot(leafAt: LeafAt, lo: number, hi: number, cache?: SubtreeCache): Buffer {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leafAt(lo);
  const key = `${lo}:${hi}`;
  const known = cache?.get(key);
  if (known) return known;
  const k = splitPoint(n);
  const root = nodeHash(rangeRoot(leafAt, lo, lo + k, cache), rangeRoot(leafAt, lo + k, hi, cache));
  cache?.set(key, root);
  return root;
}

/** PATH(index, D[0:size]) of RFC 6962 §2.1.1, bottom sibling first. */
export function inclusionPath(leafAt: LeafAt, index: number, size: number, cache?: SubtreeCache): Buffer[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`Leaf ${index} is not in a tree of ${size}.`);
  const path: Buffer[] = [];
  const walk = (m: number, lo: number, hi: number): void => {
    if (hi - lo <= 1) return;
    const k = splitPoint(hi - lo);
    if (m < k) {
      walk(m, lo, lo + k);
      path.push(rangeRoot(leafAt, lo + k, hi, cache));
    } else {
      walk(m - k, lo + k, hi);
      path.push(rangeRoot(leafAt, lo, lo + k, cache));
    }
  };
  walk(index, 0, size);
  return path;
}

/** PROOF(first, D[0:second]) of RFC 6962 §2.1.2: the nodes that show tree `first` is a prefix of tree `second`. */
export function consistencyProof(leafAt: LeafAt, first: number, second: number, cache?: SubtreeCache): Buffer[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) {
    throw new RangeError(`No consistency proof from size ${first} to size ${second}.`);
  }
  if (first === 0 || first === second) return [];
  const proof: Buffer[] = [];
  // SUBPROOF(m, D[lo:hi], b); `whole` is b: whether D[lo:lo+m] is a subtree the verifier already knows.
  const sub = (m: number, lo: number, hi: number, whole: boolean): void => {
    if (m === hi - lo) {
      if (!whole) proof.push(rangeRoot(leafAt, lo, hi, cache));
      return;
    }
    const k = splitPoint(hi - lo);
    if (m <= k) {
      sub(m, lo, lo + k, whole);
      proof.push(rangeRoot(leafAt, lo + k, hi, cache));
    } else {
      sub(m - k, lo + k, hi, false);
      proof.push(rangeRoot(leafAt, lo, lo + k, cache));
    }
  };
  sub(first, 0, second, true);
  return proof;
}

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/**
 * RFC 9162 §2.1.4.2: whether `secondRoot` is the root of a tree that extends the tree of
 * `firstRoot` by appending only. Sizes are handled arithmetically, so any safe integer works.
 */
export function verifyConsistency(first: number, second: number, firstRoot: Buffer, secondRoot: Buffer, proof: readonly Buffer[]): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (proof.some((p) => p.length !== 32)) return false;
  // The empty tree is a prefix of every tree; equal sizes must have equal roots and nothing to prove.
  if (first === 0) return proof.length === 0;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  // Step 1.
  if (proof.length === 0) return false;
  // Step 2.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  // Step 3.
  let fn = first - 1;
  let sn = second - 1;
  // Step 4.
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 5.
  let fr = path[0]!;
  let sr = path[0]!;
  // Step 6.
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 7.
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

/**
 * The root of a growing tree in O(log n) memory: the perfect subtrees along its right edge.
 * Verifying a million-entry log pushes every leaf once and reads the root at each checkpoint.
 */
export class RootAccumulator {
  private readonly sizes: number[] = [];
  private readonly hashes: Buffer[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /**
   * The right-edge subtree hashes, largest first: with the size, all a writer needs to keep to
   * go on appending without reading the log back. Their sizes are the binary digits of the size.
   */
  frontier(): Buffer {
    return Buffer.concat(this.hashes);
  }

  /** @throws RangeError when the frontier does not hold one hash per binary digit of `size`. */
  static resume(size: number, frontier: Buffer): RootAccumulator {
    const acc = new RootAccumulator();
    let bits = 0;
    for (let rest = size; rest > 0; rest = Math.floor(rest / 2)) bits += rest % 2;
    if (!Number.isSafeInteger(size) || size < 0 || frontier.length !== bits * 32) throw new RangeError(`A frontier of ${frontier.length} bytes does not fit a tree of ${size}.`);
    let offset = 0;
    // Largest perfect subtree first: the highest set bit of the size.
    for (let bit = 2 ** Math.floor(Math.log2(Math.max(size, 1))); bit >= 1; bit /= 2) {
      if (Math.floor(size / bit) % 2 === 0) continue;
      acc.sizes.push(bit);
      acc.hashes.push(frontier.subarray(offset, offset + 32));
      offset += 32;
    }
    acc.count = size;
    return acc;
  }

  push(leaf: Buffer): void {
    let size = 1;
    let hash = leaf;
    // Two perfect subtrees of equal size become one twice the size.
    while (this.sizes.length > 0 && this.sizes[this.sizes.length - 1] === size) {
      this.sizes.pop();
      hash = nodeHash(this.hashes.pop()!, hash);
      size *= 2;
    }
    this.sizes.push(size);
    this.hashes.push(hash);
    this.count += 1;
  }

  /** MTH of the leaves pushed so far: the subtrees folded right to left. */
  root(): Buffer {
    if (this.hashes.length === 0) return EMPTY_ROOT;
    let hash = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i--) hash = nodeHash(this.hashes[i]!, hash);
    return hash;
  }
}
