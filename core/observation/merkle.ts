/**
 * The Merkle tree of RFC 6962 §2.1 (restated in RFC 9162 §2.1): leaf hash SHA-256(0x00 ‖ leaf),
 * node hash SHA-256(0x01 ‖ left ‖ right), and for n > 1 leaves the split at k, the largest power
 * of two smaller than n — so every batch size works, not only powers of two. Inclusion proofs
 * are built per RFC 6962 §2.1.1 and verified per RFC 9162 §2.1.3.2.
 */
import { hash } from 'node:crypto';

const LEAF_PREFIX = Buffer.of(0);
const NODE_PREFIX = Buffer.of(1);

// One-shot crypto.hash: a verifier computes about log2(batch size) of these per record.
export function leafHash(leaf: Buffer): Buffer {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, leaf]), 'buffer');
}

/** 0x01 ‖ left ‖ right for two SHA-256 hashes, reused: hashing is synchronous, so no call sees another's bytes. */
const scratch = Buffer.alloc(65);

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  if (left.length !== 32 || right.length !== 32) return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
  scratch[0] = 1;
  left.copy(scratch, 1);
  right.copy(scratch, 33);
  return hash('sha256', scratch, 'buffer');
}

/** RFC 6962 §2.1: k is the largest power of two smaller than n (n > 1). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH: the root over already-hashed leaves; SHA-256 of nothing for the empty tree. */
export function rootOf(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return hash('sha256', Buffer.alloc(0), 'buffer');
  if (leaves.length === 1) return leaves[0]!;
  const k = splitPoint(leaves.length);
  return nodeHash(rootOf(leaves.slice(0, k)), rootOf(leaves.slice(k)));
}

/** PATH(m, D[n]) of RFC 6962 §2.1.1, by its definition: bottom sibling first. */
export function inclusionProof(leaves: readonly Buffer[], index: number): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = splitPoint(leaves.length);
  return index < k
    ? [...inclusionProof(leaves.slice(0, k), index), rootOf(leaves.slice(k))]
    : [...inclusionProof(leaves.slice(k), index - k), rootOf(leaves.slice(0, k))];
}

/** The root and every leaf's audit path in one pass: O(n log n) hashing, not a tree walk per leaf. */
export function rootAndProofs(leaves: readonly Buffer[]): { root: Buffer; proofs: Buffer[][] } {
  if (leaves.length === 0) return { root: rootOf([]), proofs: [] };
  const proofs = leaves.map((): Buffer[] => []);
  // Recursion depth is log2(n): at most 20 levels for the largest batch.
  const build = (lo: number, hi: number): Buffer => {
    if (hi - lo === 1) return leaves[lo]!;
    const k = splitPoint(hi - lo);
    const left = build(lo, lo + k);
    const right = build(lo + k, hi);
    // Children are built first, so each path lists its siblings bottom up.
    for (let i = lo; i < lo + k; i++) proofs[i]!.push(right);
    for (let i = lo + k; i < hi; i++) proofs[i]!.push(left);
    return nodeHash(left, right);
  };
  return { root: build(0, leaves.length), proofs };
}

/** A proof element: 32 bytes, or the 64 lowercase hex digits a record carries (decoded only when hashed). */
export type ProofNode = Buffer | string;

function bytesOf(node: ProofNode): Buffer | undefined {
  if (typeof node !== 'string') return node.length === 32 ? node : undefined;
  // Buffer.from stops at the first non-hex digit: a short result means a malformed element.
  const bytes = node.length === 64 ? Buffer.from(node, 'hex') : undefined;
  return bytes?.length === 32 ? bytes : undefined;
}

function sameNode(a: ProofNode, b: ProofNode): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  const x = bytesOf(a);
  const y = bytesOf(b);
  return x !== undefined && y !== undefined && x.equals(y);
}

/** Where a climb stands after j proof elements: the rest of the check depends on nothing else. */
interface ClimbState {
  readonly fn: number;
  readonly sn: number;
  readonly node: Buffer;
  readonly proof: readonly ProofNode[];
  readonly from: number;
}

/** Batches up to this size use the memo (its keys are fn * size + sn, exact below 2^53). */
const MEMO_MAX_SIZE = 1 << 26;

/**
 * Remembers, for one root and tree size, the climbs that reached the root, so the next leaf of
 * the same batch stops where its path joins one already proven: about two hashes per leaf
 * instead of log2(size). The verdict is always the one the full climb would give, since what is
 * matched is everything the rest of the climb depends on: the position, the node reached there
 * and every remaining proof element.
 */
export class InclusionMemo {
  private readonly proven = new Map<number, ClimbState>();
  /** Node hashes computed on climbs that used this memo (for tests and benches). */
  hashes = 0;

  /** The root as records write it (lowercase hex). */
  readonly rootHex: string;

  constructor(
    readonly root: Buffer,
    readonly size: number,
  ) {
    this.rootHex = root.toString('hex');
  }

  /** Whether this memo may answer for a climb to `root` in a tree of `size` leaves. */
  servesFor(root: Buffer, size: number): boolean {
    return size === this.size && size <= MEMO_MAX_SIZE && root.equals(this.root);
  }

  reachesRoot(fn: number, sn: number, node: Buffer, proof: readonly ProofNode[], from: number): boolean {
    const known = this.proven.get(fn * this.size + sn);
    if (!known || proof.length - from !== known.proof.length - known.from || !known.node.equals(node)) return false;
    for (let k = 0; from + k < proof.length; k++) if (!sameNode(proof[from + k]!, known.proof[known.from + k]!)) return false;
    return true;
  }

  remember(states: readonly ClimbState[]): void {
    for (const state of states) this.proven.set(state.fn * this.size + state.sn, state);
  }
}

/**
 * RFC 9162 §2.1.3.2: recomputes the root from a leaf hash and its inclusion path, and checks it
 * is the root given. Indices are handled arithmetically (not with 32-bit shifts), so any size
 * up to 2^53 works. With a memo for this root and size, a climb that joins an already proven
 * one stops there (see InclusionMemo), and a successful climb is remembered.
 */
export function verifyInclusion(leaf: Buffer, index: number, size: number, proof: readonly ProofNode[], root: Buffer, memo?: InclusionMemo): boolean {
  // Step 1: the index must lie in the tree.
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  const memory = memo?.servesFor(root, size) ? memo : undefined;
  const climbed: ClimbState[] = [];
  // Step 2.
  let fn = index;
  let sn = size - 1;
  // Step 3.
  let r = leaf;
  // Step 4.
  for (let j = 0; j < proof.length; j++) {
    if (memory) {
      if (memory.reachesRoot(fn, sn, r, proof, j)) {
        memory.remember(climbed);
        return true;
      }
      climbed.push({ fn, sn, node: r, proof, from: j });
    }
    const p = bytesOf(proof[j]!);
    if (!p) return false;
    if (memory) memory.hashes += 1;
    // 4a: a path longer than the tree is deep.
    if (sn === 0) return false;
    // 4b: we are a right child, or the rightmost node of a level with no right sibling.
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // 4b.ii: climb past the levels where this node has no sibling.
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    // 4c.
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 5: the path reached the top, at the given root.
  const reached = sn === 0 && r.equals(root);
  if (reached) memory?.remember(climbed);
  return reached;
}
