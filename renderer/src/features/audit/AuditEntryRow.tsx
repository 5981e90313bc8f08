/** One entry of the reconciliation log as a timeline row: when (wall clock and HLC), type, who, what, why. */
import type { MethodResult } from '../../../../core/api/index.js';
import { short, when } from './format.js';

type Entry = MethodResult<'listAuditEntries'>['entries'][number];

export function AuditEntryRow({ entry: e }: { entry: Entry }) {
  return (
    <tr data-testid="audit-entry">
      <td className="mono">{e.seq}</td>
      <td className="nowrap">
        {when(e.wall)}
        <div className="muted mono" title="hybrid logical clock (l.c)">HLC {e.hlc.l}.{e.hlc.c}</div>
      </td>
      <td><span className="badge badge-type">{e.type}</span></td>
      <td>
        {e.who.role === 'authority' ? 'mesh authority' : `${e.who.role} ${e.who.id}`} @ {e.who.mesh}
        <div className="muted mono" title={`certificate ${e.who.certificate}`}>{short(e.who.certificate)}</div>
      </td>
      <td>
        {e.what.subject && <div>subject <span className="mono">{e.what.subject}</span></div>}
        {e.what.federation && <div>federation <span className="mono">{e.what.federation}</span></div>}
        {e.what.policy && <div>policy {e.what.policy.id} v{e.what.policy.version}</div>}
        {e.what.ids.slice(0, 4).map((id) => (
          <div key={id} className="mono" title={id}>{short(id)}</div>
        ))}
        {e.what.ids.length > 4 && <div className="muted">and {e.what.ids.length - 4} more</div>}
        {e.what.detail.map((d) => (
          <div key={d.name} className="muted">{d.name}: {d.value}</div>
        ))}
      </td>
      <td>
        {e.why.reasons.map((r) => (
          <span key={r} className="mono reason">{r}</span>
        ))}
        {e.why.text && <div>{e.why.text}</div>}
      </td>
    </tr>
  );
}
