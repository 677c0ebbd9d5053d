/** 'light' | 'dark' | 'system' → the theme to paint now ('system' follows prefers-color-scheme live). */
import { useEffect, useState } from 'react';
import type { Theme } from '../store/types.js';

const QUERY = '(prefers-color-scheme: dark)';

function systemTheme(): 'light' | 'dark' {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(QUERY).matches ? 'dark' : 'light';
}

export function useResolvedTheme(theme: Theme): 'light' | 'dark' {
  const [system, setSystem] = useState(systemTheme);
  useEffect(() => {
    if (theme !== 'system' || typeof window.matchMedia !== 'function') return;
    const media = window.matchMedia(QUERY);
    const update = () => setSystem(media.matches ? 'dark' : 'light');
    update();
    media.addEventListener?.('change', update);
    return () => media.removeEventListener?.('change', update);
  }, [theme]);
  return theme === 'system' ? system : theme;
}
