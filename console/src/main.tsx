import { render } from 'preact';
import { App } from './app';
import { applyTheme, initialTheme } from './lib/theme';
import './styles/theme.css';
import './styles/layout.css';

// Before the first render, so the page never shows in the other theme first.
applyTheme(initialTheme());
render(<App />, document.getElementById('app')!);
