/** A long operation's progress bar, its phase in words, and its cancel (shared/long-operation.ts). */
import type { OperationMethod, OperationState } from './long-operation.js';
import { fractionDone } from './long-operation.js';
import { RefusalBanner } from './RefusalBanner.js';

interface Props<M extends OperationMethod> {
  readonly state: OperationState<M>;
  /** What the operation is, for the bar's accessible name ("Export progress"). */
  readonly label: string;
  readonly testId: string;
  readonly onCancel: () => void;
  /** Said once cancelled: what stopping left behind. */
  readonly cancelledText: string;
}

export function OperationProgress<M extends OperationMethod>({ state, label, testId, onCancel, cancelledText }: Props<M>) {
  if (state.phase === 'cancelled') {
    return <p className="small" role="status" data-testid={`${testId}-cancelled`}>Cancelled. {cancelledText}</p>;
  }
  if (state.phase === 'failed') return <RefusalBanner error={state.error} />;
  if (state.phase !== 'running') return null;
  const { progress } = state;
  const fraction = fractionDone(progress);
  const words = progress ? `${progress.phase[0]?.toUpperCase() ?? ''}${progress.phase.slice(1)}: ${progress.done.toLocaleString('en')}${progress.total === null ? '' : ` of ${progress.total.toLocaleString('en')}`}` : 'Starting…';
  return (
    <div className="import-progress" data-testid={testId}>
      <progress max={1} {...(fraction === null ? {} : { value: fraction })} aria-label={label} data-testid={`${testId}-bar`} />
      <span className="small" aria-live="polite" data-testid={`${testId}-phase`}>{words}</span>
      <button type="button" onClick={onCancel} disabled={state.cancelling} data-testid={`${testId}-cancel`}>
        {state.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}
