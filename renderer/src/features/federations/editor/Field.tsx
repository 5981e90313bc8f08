/** One field of the declaration form, with the core's reason beside it when the draft is wrong there. */
import { useId, type ReactNode } from 'react';
import { issuesAt } from './draft-paths.js';
import type { DraftCheck } from './use-draft-check.js';

type Issue = DraftCheck['issues'][number];

interface Props {
  readonly label: string;
  readonly path: string;
  readonly issues: readonly Issue[];
  readonly help?: string;
  /** Renders the control with the id and the description it must carry. */
  readonly children: (control: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined; 'data-path': string }) => ReactNode;
}

export function Field({ label, path, issues, help, children }: Props) {
  const id = useId();
  const mine = issuesAt(issues, path);
  const described = [help && `${id}-help`, mine.length > 0 && `${id}-issues`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${mine.length > 0 ? ' field-invalid' : ''}`} data-testid={`field-${path}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': mine.length > 0, 'aria-describedby': described, 'data-path': path })}
      {help && <span id={`${id}-help`} className="field-help">{help}</span>}
      {mine.length > 0 && (
        <ul id={`${id}-issues`} className="field-issues" data-testid={`issue-${path}`}>
          {mine.map((issue) => (
            <li key={`${issue.path} ${issue.message}`}>
              {issue.message} <span className="mono reason">{issue.reason}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
