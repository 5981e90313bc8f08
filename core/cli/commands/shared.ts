/** Small pieces the credential and observation commands share. */
import { Refused } from '../../common/refused.js';
import type { KeyAlgorithm, PrincipalRole } from '../../credentials/index.js';
import { InputNotText, InputTooLarge, readFileBounded } from '../bounded-read.js';
import type { Services } from '../../app/services.js';
import type { CommandContext } from '../command.js';
import { Refusal, UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';

export function parseAlgorithm(value: unknown): KeyAlgorithm {
  if (value === undefined || value === 'ed25519') return 'Ed25519';
  if (value === 'p256') return 'P-256';
  throw new UsageError(`--algorithm is ed25519 or p256, not "${String(value).slice(0, 32)}".`);
}

export function parseRole(value: unknown): PrincipalRole {
  if (value === undefined) return 'device';
  if (value === 'device' || value === 'operator' || value === 'boundary-agent') return value;
  throw new UsageError(`--role is device, operator or boundary-agent, not "${String(value).slice(0, 32)}".`);
}

/**
 * An audit export (`audit verify --bundle`, `lineage --with`) is read whole and parsed in memory,
 * which costs several times its size; past this it is refused unread. (A JavaScript string holds
 * at most 512 MiB anyway: the 2 GiB allowed before could never have been read.)
 */
export const MAX_AUDIT_EXPORT_BYTES = 256 * 1024 * 1024;

/**
 * Reads a file the user named, never more than `maxBytes` of it (a device or pipe such as
 * /dev/zero included); a missing, unreadable or larger one is a refusal naming it, and so is
 * one holding a NUL byte (every input file is text: JSON, PEM or XML).
 */
export function readInputFile(path: string, what: string, maxBytes = 1024 * 1024): string {
  try {
    return readFileBounded(path, maxBytes, { text: true }).toString('utf8');
  } catch (error) {
    if (error instanceof InputTooLarge) throw Refusal.one('file-too-large', `The ${what} file ${path} is larger than ${maxBytes} bytes.`);
    if (error instanceof InputNotText) throw Refusal.one('not-text', `The ${what} file ${path} is not text: it ${error.message}.`);
    throw Refusal.one('unreadable-file', `The ${what} file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/** Turns the core's refusals into the CLI's, keeping the reason code and the sentence. */
export async function refusing<T>(work: () => Promise<T> | T, id?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refused) throw Refusal.one(error.reason, error.message, id);
    throw error;
  }
}

/**
 * Runs `work` on this home's services once its mesh is known; a key is asked for (with
 * `purpose`) only when one must be opened, and only when the mesh's keys are encrypted.
 */
export function withMesh<T>(context: CommandContext, purpose: string, work: (services: Services) => Promise<T>): Promise<T> {
  return withCore(
    context.home,
    async ({ services }) => {
      await refusing(async () => services.mesh.require());
      return work(services);
    },
    passphrasePrompt(context.io.env, purpose),
  );
}
