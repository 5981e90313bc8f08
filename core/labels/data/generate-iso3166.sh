#!/bin/sh
# Regenerates iso3166-alpha3.ts from Debian's iso-codes package (apt-get install iso-codes).
set -eu
VERSION=$(dpkg-query -W -f='${Version}' iso-codes)
python3 - "$(dirname "$0")/iso3166-alpha3.ts" "$VERSION" <<'PY'
import json, sys
codes = sorted(c['alpha_3'] for c in json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1'])
rows, row = [], '  '
for code in codes:
    item = f"'{code}', "
    if len(row) + len(item) > 100:
        rows.append(row.rstrip()); row = '  '
    row += item
rows.append(row.rstrip())
header = ('/**\n * ISO 3166-1 alpha-3 country codes, the values of the "Releasable To" category.\n'
          f" * Generated from Debian's iso-codes {sys.argv[2]} (/usr/share/iso-codes/json/iso_3166-1.json) by\n"
          ' * core/labels/data/generate-iso3166.sh; regenerate rather than edit.\n */\n')
open(sys.argv[1], 'w').write(header + 'export const ISO_3166_ALPHA_3: ReadonlySet<string> = new Set([\n' + '\n'.join(rows) + '\n]);\n')
PY
