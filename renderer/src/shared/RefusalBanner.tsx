/** A refusal or failure from the core, shown as the core worded it; its code stays on the element for styling and tests. */
import type { ContractError } from '../../../core/api/index.js';
import { describeRefusal } from './contract-query.js';

export function RefusalBanner({ error }: { error: ContractError }) {
  return (
    <div role="alert" className="banner banner-error" data-code={error.code}>
      {describeRefusal(error)}
    </div>
  );
}
