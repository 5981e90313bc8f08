/**
 * Where a workspace lives. `--home DIR` wins, then ENTENTE_HOME, then the platform's
 * per-user data directory (XDG on Linux, Application Support on macOS, APPDATA on Windows).
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, win32 } from 'node:path';

export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.ENTENTE_HOME) return resolve(env.ENTENTE_HOME);
  // An empty or relative APPDATA would put the store under the current directory.
  if (platform === 'win32') return join(env.APPDATA && win32.isAbsolute(env.APPDATA) ? env.APPDATA : join(homedir(), 'AppData', 'Roaming'), 'Entente');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Entente');
  // XDG Base Directory spec: "If an implementation encounters a relative path in any of these
  // variables it should consider the path invalid and ignore it."
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'share'), 'entente');
}

export const DATABASE_FILE = 'entente.db';
