/** Every migration, in order. A new one is a new numbered file plus one line here. */
import { migration0001 } from './0001-workspace-meta.js';
import { migration0002 } from './0002-mesh-credentials.js';
import { migration0003 } from './0003-observations.js';
import { migration0004 } from './0004-audit-log.js';
import { migration0005 } from './0005-federations.js';
import { migration0006 } from './0006-witness-certificates.js';
import { migration0007 } from './0007-pinned-anchors.js';
import { migration0008 } from './0008-agent-credentials.js';
import { migration0009 } from './0009-taxonomy.js';
import { migration0010 } from './0010-integrity.js';
import { migration0011 } from './0011-crossings.js';
import { migration0012 } from './0012-sync-index.js';
import { migration0013 } from './0013-links.js';
import { migration0014 } from './0014-reconcile.js';
import { migration0015 } from './0015-crossing-rows.js';
import { migration0016 } from './0016-time.js';
import { migration0017 } from './0017-observations-by-hlc.js';
import { migration0018 } from './0018-picture-candidates.js';
import { migration0019 } from './0019-picture-claims.js';
import { migration0020 } from './0020-picture-pending.js';
import { migration0021 } from './0021-picture-candidates-by-row.js';
import { migration0022 } from './0022-picture-held.js';
import type { Migration } from '../migration.js';

export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
  migration0018,
  migration0019,
  migration0020,
  migration0021,
  migration0022,
];
