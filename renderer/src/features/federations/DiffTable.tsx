/** Two versions of a declaration side by side, one row per field that changed (declaration-diff.ts). */
import { humanise } from '../../shared/format.js';
import { diffDeclarations } from './declaration-diff.js';

interface Props {
  readonly before: unknown;
  readonly after: unknown;
  readonly beforeLabel: string;
  readonly afterLabel: string;
}

/** "scope.DEU→NLD.classes.1" → "scope · DEU→NLD · classes · 2nd". */
const pathLabel = (path: string) =>
  path
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? `#${Number(part) + 1}` : /[A-Z]/.test(part[0] ?? '') ? part : humanise(part)))
    .join(' · ');

export function DiffTable({ before, after, beforeLabel, afterLabel }: Props) {
  const changes = diffDeclarations(before, after);
  if (changes.length === 0) return <p className="muted" data-testid="diff">No change between {beforeLabel} and {afterLabel}.</p>;
  return (
    <table className="table diff" data-testid="diff">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">{beforeLabel}</th>
          <th scope="col">{afterLabel}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.path} className={`diff-${change.kind}`} data-testid="diff-row">
            <th scope="row">{pathLabel(change.path)}</th>
            <td className="diff-before">{change.before ?? <span className="muted">—</span>}</td>
            <td className="diff-after">{change.after ?? <span className="muted">removed</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
