/** Where a workspace lives when --home is not given, on each platform. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultHome } from './home.js';

describe('defaultHome', () => {
  it('prefers ENTENTE_HOME, made absolute', () => {
    expect(defaultHome({ ENTENTE_HOME: '/srv/entente' }, 'linux')).toBe('/srv/entente');
    expect(defaultHome({ ENTENTE_HOME: 'relative' }, 'linux')).toBe(join(process.cwd(), 'relative'));
  });

  it('follows the platform convention otherwise', () => {
    expect(defaultHome({ XDG_DATA_HOME: '/data' }, 'linux')).toBe('/data/entente');
    expect(defaultHome({}, 'linux')).toBe(join(homedir(), '.local', 'share', 'entente'));
    expect(defaultHome({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'Entente'));
    expect(defaultHome({ APPDATA: 'C:\\Users\\o\\AppData\\Roaming' }, 'win32')).toBe(join('C:\\Users\\o\\AppData\\Roaming', 'Entente'));
  });

  it('ignores empty and relative settings rather than writing under the current directory', () => {
    const xdgDefault = join(homedir(), '.local', 'share', 'entente');
    expect(defaultHome({ ENTENTE_HOME: '', XDG_DATA_HOME: '/data' }, 'linux')).toBe('/data/entente');
    // XDG Base Directory spec: a relative path in these variables is invalid and ignored.
    expect(defaultHome({ XDG_DATA_HOME: 'data' }, 'linux')).toBe(xdgDefault);
    expect(defaultHome({ XDG_DATA_HOME: '' }, 'linux')).toBe(xdgDefault);
    expect(defaultHome({ XDG_DATA_HOME: '/data' }, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'Entente'));
    expect(defaultHome({ APPDATA: '' }, 'win32')).toBe(join(homedir(), 'AppData', 'Roaming', 'Entente'));
    expect(defaultHome({ APPDATA: 'Roaming' }, 'win32')).toBe(join(homedir(), 'AppData', 'Roaming', 'Entente'));
  });
});
