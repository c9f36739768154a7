import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (scripts/ensure-chromium.sh installs it; CHROMIUM_PATH names another) driven
 * by playwright-core, headless. The flags keep it off the network it cannot reach here (no
 * background fetches, no component updates, no sync) and allow it to run as root. Each launch gets
 * a new empty profile directory of its own (playwright's launch() makes one and removes it).
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
