// Runs doyensec's Electronegativity over the Electron shell and the renderer, and fails on
// any finding of MEDIUM severity or above that docs/security/electronegativity-exceptions.json
// does not excuse with a written reason. The sources are copied beside a package.json
// naming our Electron version, so the checks apply that version's defaults.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const exceptions = JSON.parse(readFileSync(join(root, 'docs/security/electronegativity-exceptions.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'entente-electronegativity-'));
const notTests = (path) => !/\.test\.tsx?$|[\\/]test[\\/]/.test(path);
try {
  cpSync(join(root, 'electron'), join(work, 'app/electron'), { recursive: true, filter: notTests });
  cpSync(join(root, 'renderer'), join(work, 'app/renderer'), { recursive: true, filter: notTests });
  writeFileSync(join(work, 'app/package.json'), JSON.stringify({ name: 'entente', devDependencies: { electron: electronVersion } }));
  const report = join(work, 'report.csv');
  execFileSync(join(root, 'node_modules/.bin/electronegativity'), ['-i', join(work, 'app'), '-o', report, '-r', '-e', electronVersion], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const [header, ...rows] = parseCsv(readFileSync(report, 'utf8'));
  const column = (name) => header.findIndex((h) => h.toLowerCase().includes(name));
  const [checkCol, severityCol, fileCol, lineCol] = ['issue', 'severity', 'filename', 'location'].map(column);
  // A row whose severity cannot be read counts as serious: a parsing slip must not hide a finding.
  const serious = rows.filter((row) => !['LOW', 'INFORMATIONAL'].includes(String(row[severityCol]).toUpperCase()));
  const unexcused = serious.filter((row) => !exceptions.some((e) => e.check === row[checkCol] && String(row[fileCol]).includes(e.file)));
  for (const row of rows) console.log(`electronegativity: ${row[severityCol]} ${row[checkCol]} ${row[fileCol]}:${row[lineCol]}`);
  if (unexcused.length > 0) {
    console.error(`electronegativity: ${unexcused.length} finding(s) of medium severity or above without a written exception.`);
    process.exit(1);
  }
  console.log(`electronegativity: ${rows.length} finding(s), none of medium severity or above unexcused (Electron ${electronVersion}).`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** RFC 4180 CSV: quoted cells may hold commas, doubled quotes and line breaks (CSP texts do). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      if (row.some((c) => c !== '')) rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
  }
  row.push(cell);
  if (row.some((c) => c !== '')) rows.push(row);
  return rows;
}
