/** Binds the keymap (shortcuts.ts) to the window: `g` arms the next key for a while, then the view changes. */
import { useEffect } from 'react';
import { navigate } from './route.js';
import { isField, PREFIX_MS, shortcutFor } from './shortcuts.js';

export function useShortcuts(openHelp: () => void): void {
  useEffect(() => {
    let armedUntil = 0;
    const onKey = (event: KeyboardEvent) => {
      const shortcut = shortcutFor(
        { key: event.key, code: event.code, altKey: event.altKey, ctrlKey: event.ctrlKey, metaKey: event.metaKey, inField: isField(event.target) },
        Date.now() < armedUntil,
      );
      armedUntil = shortcut?.kind === 'prefix' ? Date.now() + PREFIX_MS : 0;
      if (!shortcut || shortcut.kind === 'prefix') return;
      event.preventDefault();
      if (shortcut.kind === 'help') openHelp();
      else {
        navigate({ view: shortcut.view, item: null });
        // Focus follows: the view's heading, so a screen reader says where the officer is.
        requestAnimationFrame(() => document.getElementById('view-heading')?.focus());
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openHelp]);
}
