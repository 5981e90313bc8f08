/**
 * Opening a URL in the user's browser, if there is one: best effort, never fatal. On Linux
 * without a display (a server, CI) there is no browser to open, and that is not an error.
 */
import { spawn } from 'node:child_process';

export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const command =
    process.platform === 'darwin' ? ['open', url]
    : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url]
    : env.DISPLAY || env.WAYLAND_DISPLAY ? ['xdg-open', url]
    : null;
  if (!command) return false;
  try {
    const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
