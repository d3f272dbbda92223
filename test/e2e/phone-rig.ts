import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { startTestDaemon, type TestDaemon, type TestDaemonOptions } from "../helpers/test-daemon.ts";
import { launchChromium, phoneContext } from "./browser.ts";

/** The real daemon and a phone-sized Chromium page on it; `close()` ends both. */
export interface PhoneRig {
  t: TestDaemon;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The element with this data-testid. */
  id(testId: string): Locator;
  /** Opens a dashboard route (`/files`). */
  go(route: string): Promise<void>;
  close(): Promise<void>;
}

export async function phoneRig(options: TestDaemonOptions): Promise<PhoneRig> {
  const t = await startTestDaemon(options);
  const browser = await launchChromium();
  const context = await phoneContext(browser, t.url);
  const page = await context.newPage();
  return {
    t,
    browser,
    context,
    page,
    id: (testId) => page.getByTestId(testId),
    go: async (route) => {
      await page.goto(`${t.url}/#${route}`);
    },
    close: async () => {
      await context.close();
      await browser.close();
      await t.stop();
    },
  };
}
