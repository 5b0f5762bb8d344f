// Debian's Chromium, never a browser Playwright downloads: this machine's network is closed,
// so everything that would phone home is switched off.
import { chromium } from 'playwright-core'

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/**
 * Launches `executablePath` headless (Playwright adds `--headless`, and a fresh temporary
 * `--user-data-dir` it removes on close).
 */
export function launchBrowser (executablePath) {
  return chromium.launch({ executablePath, headless: true, args: ARGS, timeout: 30000 })
}
