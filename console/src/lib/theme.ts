/**
 * Light and dark: the system's preference until the user picks one with the toggle, which is
 * then kept in localStorage. The choice is the `data-theme` attribute on <html>, which the CSS
 * custom properties (styles/theme.css) follow.
 */
import { useEffect, useState } from 'preact/hooks';

export type Theme = 'light' | 'dark';

const KEY = 'zen.theme';
const darkQuery = () => matchMedia('(prefers-color-scheme: dark)');

function stored(): Theme | null {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

export function initialTheme(): Theme {
  return stored() ?? (darkQuery().matches ? 'dark' : 'light');
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    // Follow the system while the user has not chosen.
    const query = darkQuery();
    const follow = () => stored() === null && setTheme(query.matches ? 'dark' : 'light');
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  const toggle = () => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Not kept across visits; it still applies now.
    }
    setTheme(next);
  };
  return [theme, toggle];
}

/** The theme in force, for code drawing outside CSS (diagram colours). */
export function useCurrentTheme(): Theme {
  const read = (): Theme => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
  const [theme, setTheme] = useState<Theme>(read);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(read()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}
