/**
 * A writer that appends to a workspace's log as fast as it can, in transactions of a few
 * entries with their checkpoint, until it is killed. The crash test kills it with SIGKILL
 * mid-append and checks that what is left verifies.
 */
import { appendToLog, authorityActor, authoritySigner } from '../../app/audit-service.js';
import { requireMesh } from '../../app/credentials-service.js';
import { openDatabase } from '../../store/database.js';

const db = openDatabase(process.argv[2]!);
const signer = authoritySigner(db, null);
const mesh = requireMesh(db);
let written = 0;
for (;;) {
  const drafts = Array.from({ length: 1 + (written % 7) }, (_, i) => ({
    type: 'decision' as const,
    who: authorityActor(mesh),
    what: { ids: [], subject: `track:${written + i}` },
    why: { reasons: ['crash-test'] },
  }));
  appendToLog(db, signer, drafts);
  written += drafts.length;
  if (written > 20 && written < 30) process.stdout.write('appending\n');
}
