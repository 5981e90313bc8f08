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

/**
 * leafHash of the UTF-8 bytes of `text`, as lowercase hex: U+0000 encodes as the single byte
 * 0x00, so the prefix is one character. `text` must be well-formed (canonical text always is).
 */
export function leafHashOfText(text: string): string {
  return hash('sha256', `\u0000${text}`, 'hex');
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
export function splitPoint(n: number): number {
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

/** A proof element: 32 bytes, or the 64 hex digits a record carries (the form climbsToRoot works in). */
export type ProofNode = Buffer | string;

/** 0x01 ‖ left ‖ right decoded from hex, reused like `scratch`. */
const pairOfHex = Buffer.alloc(65);

/**
 * SHA-256(0x01 ‖ left ‖ right) for two nodes in hex, as lowercase hex: no Buffer is made per
 * call (a verifier does this for every batch record). Undefined when either is not 64 hex digits.
 */
function nodeHashOfHex(left: string, right: string): string | undefined {
  // Buffer#write stops at the first character that is not a hex digit: fewer than 32 bytes written means malformed.
  if (left.length !== 64 || right.length !== 64 || pairOfHex.write(left, 1, 32, 'hex') !== 32 || pairOfHex.write(right, 33, 32, 'hex') !== 32) return undefined;
  pairOfHex[0] = 1;
  return hash('sha256', pairOfHex, 'hex');
}

/** Where a climb stands: at position fn of the level whose last position is sn, holding `node`, with proof[from…] still to use. */
interface ClimbState {
  readonly fn: number;
  readonly sn: number;
  readonly node: string;
  readonly proof: readonly string[];
  readonly from: number;
}

/** Batches up to this size use the memo (its keys are fn * size + sn, exact below 2^53). */
const MEMO_MAX_SIZE = 1 << 26;

function sameRest(a: readonly string[], i: number, b: readonly string[], k: number): boolean {
  if (a.length - i !== b.length - k) return false;
  for (; i < a.length; i++, k++) if (a[i] !== b[k]) return false;
  return true;
}

/**
 * Remembers, for one root and tree size, the climb states that reached the root, so the next
 * leaf of the same batch stops as soon as its path joins a proven one — or meets its proven
 * sibling: when the sibling at this level held our proof element as its node and our node as
 * its proof element, the two climbs hash the same parent and go on identically. Records read in
 * batch order then cost about one node hash each instead of log2(size). The verdict is always
 * the one the full climb would give: what is matched is everything the rest of the climb depends
 * on (position, node, every remaining proof element), and strings are compared exactly, so an
 * element written differently (say in upper case) is simply hashed.
 */
export class InclusionMemo {
  private readonly proven = new Map<number, ClimbState>();
  /** Node hashes computed on climbs that used this memo (for tests and benches). */
  hashes = 0;

  /** @param rootHex the root as records write it (lowercase hex); a memo only ever answers for it and `size`. */
  constructor(
    readonly rootHex: string,
    readonly size: number,
  ) {}

  /** Whether this memo may answer for a climb to `root` (lowercase hex) in a tree of `size` leaves. */
  servesFor(root: string, size: number): boolean {
    return size === this.size && size <= MEMO_MAX_SIZE && root === this.rootHex;
  }

  reachesRoot(fn: number, sn: number, node: string, proof: readonly string[], from: number): boolean {
    const known = this.proven.get(fn * this.size + sn);
    if (known !== undefined && known.node === node && sameRest(proof, from, known.proof, known.from)) return true;
    // The sibling: fn - 1 for a right child; fn + 1 for a left child that has one (fn < sn).
    // The rightmost node of a level without a sibling (fn === sn, even) climbs differently: not matched.
    const sibling = fn % 2 === 1 ? fn - 1 : fn < sn ? fn + 1 : -1;
    if (sibling < 0 || from >= proof.length) return false;
    const next = this.proven.get(sibling * this.size + sn);
    return next !== undefined && next.node === proof[from] && next.proof[next.from] === node && sameRest(proof, from + 1, next.proof, next.from + 1);
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
  const path: string[] = [];
  for (const node of proof) {
    if (typeof node === 'string') path.push(node);
    else if (node.length === 32) path.push(node.toString('hex'));
    else return false;
  }
  return leaf.length === 32 && root.length === 32 && climbsToRoot(leaf.toString('hex'), index, size, path, root.toString('hex'), memo);
}

/**
 * verifyInclusion with the leaf hash and root as lowercase hex and the path as hex strings,
 * the form records carry: nothing is decoded into a Buffer of its own.
 */
export function climbsToRoot(leaf: string, index: number, size: number, proof: readonly string[], root: string, memo?: InclusionMemo): boolean {
  // Step 1: the index must lie in the tree.
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  const memory = memo?.servesFor(root, size) ? memo : undefined;
  const climbed: ClimbState[] = [];
  // Step 2.
  let fn = index;
  let sn = size - 1;
  // Step 3.
  let r: string | undefined = leaf;
  // Step 4.
  for (let j = 0; j < proof.length; j++) {
    if (memory) {
      climbed.push({ fn, sn, node: r, proof, from: j });
      if (memory.reachesRoot(fn, sn, r, proof, j)) {
        memory.remember(climbed);
        return true;
      }
      memory.hashes += 1;
    }
    const p = proof[j]!;
    // 4a: a path longer than the tree is deep.
    if (sn === 0) return false;
    // 4b: we are a right child, or the rightmost node of a level with no right sibling.
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHashOfHex(p, r);
      // 4b.ii: climb past the levels where this node has no sibling.
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHashOfHex(r, p);
    }
    if (r === undefined) return false;
    // 4c.
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 5: the path reached the top, at the given root.
  const reached = sn === 0 && r === root;
  if (reached) memory?.remember(climbed);
  return reached;
}

/**
 * MTH of RFC 6962 §2.1 built as the leaf hashes arrive, holding O(log n) nodes: the tree of n
 * leaves is the perfect subtrees of n's binary decomposition, largest (leftmost) first, each
 * split point k being the largest of them. `push` merges equal-sized subtrees as a binary
 * counter carries; `root` folds the remaining ones from the right, which is exactly the
 * recursive definition's right spine. `root()` equals `rootOf(all pushed leaves)` for every n.
 */
export class MerkleRootBuilder {
  /** Perfect subtrees, largest first: sizes[i] leaves under nodes[i]; sizes strictly decrease. */
  private readonly nodes: Buffer[] = [];
  private readonly sizes: number[] = [];
  private count = 0;

  /** Leaves pushed so far (the tree size). */
  get size(): number {
    return this.count;
  }

  /** Adds the next leaf: its hash (leafHash of its bytes), 32 bytes. */
  push(leaf: Buffer): void {
    if (leaf.length !== 32) throw new RangeError(`A Merkle leaf hash is 32 bytes, not ${leaf.length}.`);
    let node = leaf;
    let size = 1;
    while (this.sizes.length > 0 && this.sizes.at(-1) === size) {
      node = nodeHash(this.nodes.pop()!, node);
      this.sizes.pop();
      size *= 2;
    }
    this.nodes.push(node);
    this.sizes.push(size);
    this.count += 1;
  }

  /** The root over every leaf pushed so far; SHA-256 of nothing for the empty tree. More leaves may follow. */
  root(): Buffer {
    if (this.nodes.length === 0) return rootOf([]);
    let root = this.nodes.at(-1)!;
    for (let i = this.nodes.length - 2; i >= 0; i--) root = nodeHash(this.nodes[i]!, root);
    return root;
  }
}
