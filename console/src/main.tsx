import '@mantine/core/styles.css';
import { Anchor, createTheme, MantineProvider, type CSSVariablesResolver } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { App } from './App';
import { SessionProvider } from './session';

const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'sm',
  // Links inside text are told apart by more than their colour (WCAG 1.4.1).
  components: { Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }) },
});

// WCAG AA contrast (4.5:1 for small text), checked by axe-core in the browser tests: Mantine's
// default light and outline variants write shade 6 on a tint, and dimmed text is gray 6.
const COLOURS = ['indigo', 'red', 'green', 'blue', 'gray', 'orange', 'cyan', 'grape', 'yellow'];
const resolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(
      COLOURS.flatMap((c) => [
        [`--mantine-color-${c}-light-color`, `color-mix(in srgb, var(--mantine-color-${c}-9) 75%, black)`],
        [`--mantine-color-${c}-outline`, `color-mix(in srgb, var(--mantine-color-${c}-9) 75%, black)`],
        [`--mantine-color-${c}-filled`, `var(--mantine-color-${c}-9)`],
        [`--mantine-color-${c}-text`, `color-mix(in srgb, var(--mantine-color-${c}-9) 75%, black)`],
      ]),
    ),
  },
  dark: {},
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={resolver}>
      <Router base="/console">
        <SessionProvider>
          <App />
        </SessionProvider>
      </Router>
    </MantineProvider>
  </StrictMode>,
);
