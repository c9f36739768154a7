import '@mantine/core/styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { App } from './App';
import { SessionProvider } from './session';

// Darker shades than Mantine's defaults for text on light badges and buttons: WCAG AA contrast.
const theme = createTheme({ primaryColor: 'indigo', primaryShade: 8, defaultRadius: 'sm' });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Router base="/console">
        <SessionProvider>
          <App />
        </SessionProvider>
      </Router>
    </MantineProvider>
  </StrictMode>,
);
