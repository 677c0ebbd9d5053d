/** Alt+Shift+C anywhere on the page toggles the panel; Escape inside the panel closes it. */
import { useEffect } from 'react';

export const TOGGLE_SHORTCUT = 'Alt+Shift+C';

export function isToggleShortcut(event: KeyboardEvent): boolean {
  // `code` is layout-independent; Alt changes `key` on macOS (Alt+Shift+C → "Ç")
  return event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && (event.code === 'KeyC' || event.key.toLowerCase() === 'c');
}

export function useToggleShortcut(toggle: () => void, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (!isToggleShortcut(event)) return;
      event.preventDefault();
      toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle, enabled]);
}
