/** The rail: one link per view, the current one marked for eyes and screen readers, with its shortcut shown. */
import { altDigitOf } from './shortcuts.js';
import { VIEWS, type ViewId } from './views.js';
import { formatRoute } from './route.js';

export function NavRail({ current, badges }: { current: ViewId; badges: Partial<Record<ViewId, number>> }) {
  return (
    <nav className="rail" aria-label="Views">
      <ul>
        {VIEWS.map((view, i) => (
          <li key={view.id}>
            <a
              href={formatRoute({ view: view.id, item: null })}
              aria-current={view.id === current ? 'page' : undefined}
              title={`${view.hint} — g ${view.letter}${altDigitOf(i) === null ? '' : ` or Alt+${altDigitOf(i)}`}`}
              data-testid={`rail-${view.id}`}
            >
              <span className="rail-label">{view.label}</span>
              {(badges[view.id] ?? 0) > 0 && <span className="rail-badge">{badges[view.id]}</span>}
              <kbd className="rail-key" aria-hidden="true">g {view.letter}</kbd>
            </a>
          </li>
        ))}
      </ul>
      <p className="rail-help muted">
        <kbd>?</kbd> shortcuts
      </p>
    </nav>
  );
}
