import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's chromium package (`apt install chromium`); CHROMIUM overrides. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Screenshots of every screen land here (a CI artifact). */
export const SCREENS_DIR = path.resolve(import.meta.dirname, "../../.artifacts/screens");

/** A phone: 360×640 CSS pixels, touch, at twice the pixel density. */
export const PHONE = { width: 360, height: 640 } as const;

/**
 * Headless Chromium as this machine runs it: no sandbox (root in CI), and none of Chromium's own
 * network chatter, which the closed network refuses.
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's chromium (apt install chromium) or set CHROMIUM`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export function phoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    colorScheme: "dark",
    acceptDownloads: true,
  });
}

/** Saves a full-page screenshot as `<name>.png` in SCREENS_DIR. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** How far the page scrolls sideways (0 when it fits the viewport's width). */
export function horizontalOverflow(page: Page): Promise<number> {
  // A string runs in the page (the DOM is not in this tsconfig's libraries).
  return page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
}
