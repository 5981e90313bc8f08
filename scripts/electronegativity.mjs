// Runs doyensec's Electronegativity over the Electron shell and the renderer, and fails on
// any finding of MEDIUM severity or above that docs/security/electronegativity-exceptions.json
// does not excuse with a written reason. The sources are copied beside a package.json
// naming our Electron version, so the checks apply that version's defaults.
//
// The findings are read from the package's programmatic entry rather than from its CSV
// report: the CLI writes the CSV header and the rows with two unsynchronised writes, and on
// some file systems the header lands over the first rows (a CI run was failed that way).
import { createRequire } from 'node:module';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const runElectronegativity = require('@doyensec/electronegativity');

const root = new URL('..', import.meta.url).pathname;
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const exceptions = JSON.parse(readFileSync(join(root, 'docs/security/electronegativity-exceptions.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'entente-electronegativity-'));
const notTests = (path) => !/\.test\.tsx?$|[\\/]test[\\/]/.test(path);
const lenient = ['LOW', 'INFORMATIONAL'];
let failed = false;
try {
  const app = join(work, 'app');
  cpSync(join(root, 'electron'), join(app, 'electron'), { recursive: true, filter: notTests });
  cpSync(join(root, 'renderer'), join(app, 'renderer'), { recursive: true, filter: notTests });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'entente', devDependencies: { electron: electronVersion } }));
  const result = await runElectronegativity({ input: app, electronVersionOverride: electronVersion, isRelative: true });
  if (!result || !Array.isArray(result.issues)) throw new Error('Electronegativity returned no list of findings.');
  for (const error of result.errors ?? []) {
    // A file it could not parse was not checked: that must not pass silently.
    console.error(`electronegativity: ${error.tolerable ? 'warning in' : 'could not check'} ${error.file}: ${error.message}`);
    if (!error.tolerable) failed = true;
  }
  const findings = result.issues.map((issue) => ({
    check: String(issue.id),
    severity: String(issue.severity?.name ?? 'UNKNOWN').toUpperCase(),
    file: String(issue.file).split('\\').join('/'), // relative to the app copy (isRelative)
    at: `${issue.location?.line}:${issue.location?.column}`,
  }));
  for (const f of findings) console.log(`electronegativity: ${f.severity} ${f.check} ${f.file}:${f.at}`);
  // A severity that cannot be read counts as serious: a slip must not hide a finding.
  const unexcused = findings.filter(
    (f) => !lenient.includes(f.severity) && !exceptions.some((e) => e.check === f.check && f.file === e.file),
  );
  for (const f of unexcused) console.error(`electronegativity: ${f.check} in ${f.file} is ${f.severity} and has no written exception.`);
  if (unexcused.length > 0) failed = true;
  else console.log(`electronegativity: ${findings.length} finding(s), none of medium severity or above unexcused (Electron ${electronVersion}).`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
