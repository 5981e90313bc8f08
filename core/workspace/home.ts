/**
 * Where a workspace lives. `--home DIR` wins, then ENTENTE_HOME, then the platform's
 * per-user data directory (XDG on Linux, Application Support on macOS, APPDATA on Windows).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.ENTENTE_HOME) return resolve(env.ENTENTE_HOME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Entente');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Entente');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'entente');
}

export const DATABASE_FILE = 'entente.db';
