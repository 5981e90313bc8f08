/** The list of keyboard shortcuts, opened with `?` and closed with Escape (a native modal dialog traps focus). */
import { useEffect, useRef } from 'react';
import { altDigitOf } from './shortcuts.js';
import { VIEWS } from './views.js';

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="shortcuts-heading" onClose={onClose} data-testid="shortcut-help">
      <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
      <table className="table">
        <tbody>
          {VIEWS.map((view, i) => (
            <tr key={view.id}>
              <td>{view.label}</td>
              <td><kbd>g</kbd> <kbd>{view.letter}</kbd>{altDigitOf(i) !== null && <> or <kbd>Alt</kbd>+<kbd>{altDigitOf(i)}</kbd></>}</td>
            </tr>
          ))}
          <tr><td>Move between rows</td><td><kbd>↑</kbd> <kbd>↓</kbd>, then <kbd>Enter</kbd> to open</td></tr>
          <tr><td>This list</td><td><kbd>?</kbd></td></tr>
        </tbody>
      </table>
      <form method="dialog" className="dialog-actions">
        <button type="submit" autoFocus>Close</button>
      </form>
    </dialog>
  );
}
