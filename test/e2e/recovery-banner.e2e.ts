import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchDir } from "../../bench/processes.ts";
import { layeredGcode } from "../helpers/layered-gcode.ts";
import { ADMIN, startTestDaemon, type TestDaemon } from "../helpers/test-daemon.ts";
import { until } from "../helpers/until.ts";
import { launchChromium, phoneContext, screenshot } from "./browser.ts";

/**
 * The interrupted-print banner: a daemon stopped mid-print keeps the print for recovery; after the
 * restart the home screen offers "resume from layer N" or "discard", and discarding clears it.
 */

let t: TestDaemon | null = null;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe("an interrupted print, and a lost connection", () => {
  it("is offered for a resume after a restart, discarding clears it; a daemon that goes away shows reconnecting", async () => {
    const dataDir = scratchDir("e2e-recovery");
    const first = await startTestDaemon({ simSpeed: 50, config: { dataDir } });
    t = first;
    const form = new FormData();
    form.append("file", new Blob([layeredGcode({ layers: 40, movesPerLayer: 30 })]), "rings.gcode");
    expect((await first.admin.request("POST", "/api/v1/files", { body: form })).status).toBe(201);
    await until(
      async () => (await first.admin.get<{ analysis: { status: string } }>("/api/v1/files/rings.gcode")).body,
      (f) => f.analysis.status === "ready",
      "rings.gcode analysed",
    );
    expect((await first.admin.post("/api/v1/job/start", { file: "rings.gcode" })).status).toBe(201);
    await until(
      async () =>
        (await first.admin.get<{ job: { progress: { layer: number } | null } | null }>("/api/v1/job")).body,
      (j) => (j.job?.progress?.layer ?? 0) > 3,
      "layer 4",
      60_000,
    );
    await first.stop();
    t = await startTestDaemon({ simSpeed: 50, config: { dataDir }, setupAdmin: false });
    const context = await phoneContext(browser, t.url);
    const page = await context.newPage();
    try {
      await page.goto(t.url);
      await page.getByTestId("login-name").fill(ADMIN.name);
      await page.getByTestId("login-password").fill(ADMIN.password);
      await page.getByTestId("login-submit").click();
      const banner = page.getByTestId("recovery-banner");
      await banner.waitFor({ timeout: 30_000 });
      expect(await banner.textContent()).toMatch(/rings\.gcode stopped at layer \d+\/40/);
      await expect(page.getByTestId("recovery-resume").isVisible()).resolves.toBe(true);
      await screenshot(page, "recovery-banner");
      await page.getByTestId("recovery-discard").click();
      await page.getByTestId("confirm-yes").click();
      await banner.waitFor({ state: "detached", timeout: 30_000 });
      // The daemon goes away: the page says it is reconnecting instead of showing stale state as live.
      await expect(page.getByTestId("connection-banner").count()).resolves.toBe(0);
      await t.stop();
      t = null;
      const lost = page.getByTestId("connection-banner");
      await lost.waitFor({ timeout: 30_000 });
      expect(await lost.textContent()).toMatch(/reconnecting/i);
      await screenshot(page, "connection-lost");
    } finally {
      await context.close();
    }
  });
});
