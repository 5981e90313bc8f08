/**
 * The workspace passphrase that protects private keys: from ENTENTE_PASSPHRASE, else asked
 * for on the terminal without echo. Never from a command-line argument, where it would sit in
 * shell history and the process list.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { Refusal } from './failures.js';

/** A prompt for the keyring: asked (once) only when a key protected by the passphrase must be opened. */
export function passphrasePrompt(env: NodeJS.ProcessEnv, purpose: string): () => Promise<string> {
  return () => readPassphrase(env, purpose);
}

export async function readPassphrase(env: NodeJS.ProcessEnv, purpose: string): Promise<string> {
  const fromEnv = env.ENTENTE_PASSPHRASE;
  if (fromEnv !== undefined) {
    if (fromEnv.length === 0) throw Refusal.one('passphrase-empty', 'ENTENTE_PASSPHRASE is set but empty; an empty passphrase protects nothing.');
    return fromEnv;
  }
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw Refusal.one('passphrase-required', `A passphrase is needed to ${purpose}: set ENTENTE_PASSPHRASE (no terminal to ask on).`);
  }
  const answer = await askHidden(`Passphrase to ${purpose}: `);
  if (answer.length === 0) throw Refusal.one('passphrase-empty', 'An empty passphrase protects nothing.');
  return answer;
}

function askHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  // Echo nothing the user types; the prompt itself was written above.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: process.stdin, output: silent, terminal: true });
  return new Promise((resolve) => {
    reader.question('', (answer) => {
      reader.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
