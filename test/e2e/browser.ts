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

/**
 * Visible controls smaller than `min` CSS pixels in either direction (WCAG 2.5.5's 44×44 target). A
 * checkbox or radio counts with its label, which takes the tap for it.
 */
export function smallTargets(page: Page, min = 44): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const small = [];
    const controls = document.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea, [role=button]');
    for (const el of controls) {
      const target = (el.type === "checkbox" || el.type === "radio") && el.closest("label") ? el.closest("label") : el;
      const box = target.getBoundingClientRect();
      const style = getComputedStyle(target);
      if (box.width === 0 || box.height === 0 || style.visibility === "hidden") continue;
      if (el.classList.contains("sr-only") || target.classList.contains("sr-only")) continue;
      if (box.width < ${min} || box.height < ${min}) {
        small.push((el.dataset.testid || el.getAttribute("aria-label") || el.textContent || el.tagName).trim().slice(0, 40) + " " + Math.round(box.width) + "x" + Math.round(box.height));
      }
    }
    return small;
  })()`);
}
