/** Electron main-process entry (bundled to dist/electron/main.cjs). */
import { join } from 'node:path';
import { startElectronShell } from './shell.js';

void startElectronShell({ distDir: join(__dirname, '..') });
