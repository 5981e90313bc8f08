// `npm start`: opens the console on the workspace in your data directory (or --home DIR). On the
// first run, when that directory holds nothing yet, it builds the coalition exercise there first.
//
// Where Electron's runtime is installed (or can be fetched now), the desktop window opens.
// Where it cannot be (an air-gapped or registry-only network), one line says so and the same
// console is served on the loopback host instead, printing its URL and opening a browser if
// there is one. ENTENTE_NO_ELECTRON=1 asks for the loopback host outright.
//
// better-sqlite3 is compiled for Node's ABI by `npm ci`; Electron needs its own build of the
// binding, made once per Electron version into node_modules/.cache/entente/ and handed to the
// shell through ENTENTE_SQLITE_BINDING.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const electronPackage = join(root, 'node_modules', 'electron');

firstRun();

const electron = process.env.ENTENTE_NO_ELECTRON === '1' ? { reason: 'ENTENTE_NO_ELECTRON=1' } : prepareElectron();
if (electron.binary) {
  run(electron.binary, [join(root, 'dist', 'electron', 'main.cjs'), ...args], { ENTENTE_SQLITE_BINDING: electron.binding });
} else {
  console.log(`Electron's runtime is not available here (${electron.reason}); serving the console on the loopback host instead.`);
  run(process.execPath, [join(root, 'bin', 'entente.mjs'), 'serve', '--open', ...args], {});
}

/**
 * On a fresh machine (no --home, and the data directory or ENTENTE_HOME holding nothing yet) the
 * console would open on an empty workspace: build the coalition exercise there first, with its
 * progress (`entente demo --first-run`, which leaves a home that holds anything as it is). A run
 * stopped half-way leaves only a `.demo-partial` folder beside the home, which the next start
 * removes and builds again.
 */
function firstRun() {
  if (args.some((a) => a === '--home' || a.startsWith('--home='))) return;
  const demo = spawnSync(process.execPath, [join(root, 'bin', 'entente.mjs'), 'demo', '--first-run'], { stdio: 'inherit' });
  if (demo.status !== 0) process.exit(demo.status ?? 1);
}

/** The Electron binary and a better-sqlite3 binding for it, or the reason there are none. */
function prepareElectron() {
  if (!existsSync(join(electronPackage, 'package.json'))) return { reason: 'the electron package is not installed' };
  let binary = installedElectronBinary();
  if (!binary) {
    // Electron downloads its runtime on first use; try once, quietly, and fall back on failure.
    const download = spawnSync(process.execPath, [join(electronPackage, 'install.js')], { stdio: 'ignore', timeout: 600_000 });
    binary = installedElectronBinary();
    if (!binary) return { reason: `its download did not succeed${download.error ? `: ${download.error.message}` : ''}` };
  }
  const binding = electronSqliteBinding();
  if (!binding) return { reason: 'better-sqlite3 could not be built for Electron' };
  return { binary, binding };
}

function installedElectronBinary() {
  const pathFile = join(electronPackage, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : defaultElectronExecutable();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronPackage, 'dist');
  const binary = join(distDir, relative);
  return existsSync(binary) ? binary : null;
}

function defaultElectronExecutable() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return process.platform === 'win32' ? 'electron.exe' : 'electron';
}

/** Builds better-sqlite3 for Electron's ABI once per Electron version (prebuilt if offered). */
function electronSqliteBinding() {
  const version = JSON.parse(readFileSync(join(electronPackage, 'package.json'), 'utf8')).version;
  const cached = join(root, 'node_modules', '.cache', 'entente', `electron-${version}-${process.arch}`, 'better_sqlite3.node');
  if (existsSync(cached)) return cached;

  const work = mkdtempSync(join(tmpdir(), 'entente-sqlite-electron-'));
  try {
    const source = join(root, 'node_modules', 'better-sqlite3');
    // Everything but the Node build, which would otherwise be mistaken for the finished one.
    cpSync(source, work, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
    const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
    const target = ['--runtime=electron', `--target=${version}`, `--arch=${process.arch}`];
    const quiet = { cwd: work, stdio: 'ignore', timeout: 600_000, shell: process.platform === 'win32' };
    const built =
      spawnSync(bin('prebuild-install'), target, quiet).status === 0 ||
      spawnSync(bin('node-gyp'), ['rebuild', '--release', ...target, '--dist-url=https://electronjs.org/headers'], quiet).status === 0;
    const output = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (!built || !existsSync(output)) return null;
    mkdirSync(join(cached, '..'), { recursive: true });
    copyFileSync(output, cached);
    return cached;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs the console in the foreground, passing Ctrl+C through and exiting with its status. */
function run(command, commandArgs, extraEnv) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
