/**
 * A writer that appends to a workspace's log as fast as it can, in transactions of a few
 * entries with their checkpoint, until it is killed. The crash test kills it with SIGKILL
 * mid-append and checks that what is left verifies.
 */
import { openDatabase } from '../../../store/database.js';
import { authorityActor } from '../../context/log.js';
import { createServices } from '../../services.js';

const db = openDatabase(process.argv[2]!);
const operation = createServices(db).context.writing();
const log = await operation.log();
const who = authorityActor(operation.mesh().mesh);
let written = 0;
for (;;) {
  const drafts = Array.from({ length: 1 + (written % 7) }, (_, i) => ({
    type: 'decision' as const,
    who,
    what: { ids: [], subject: `track:${written + i}` },
    why: { reasons: ['crash-test'] },
  }));
  log.append(drafts, new Date());
  written += drafts.length;
  if (written > 20 && written < 30) process.stdout.write('appending\n');
}
