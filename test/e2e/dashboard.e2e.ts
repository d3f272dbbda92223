import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CUBE } from "../helpers/fixtures.ts";
import { layeredGcode } from "../helpers/layered-gcode.ts";
import { ADMIN, addUser, type TestDaemon } from "../helpers/test-daemon.ts";
import { until } from "../helpers/until.ts";
import { horizontalOverflow, phoneContext, screenshot, smallTargets } from "./browser.ts";
import { type PhoneRig, phoneRig } from "./phone-rig.ts";

/**
 * Acceptance for the dashboard in a phone-sized Debian Chromium against the real daemon with the
 * simulated printer: first-boot setup, login, upload with progress, print, temperatures on the chart,
 * pause, resume, cancel with confirmation, the print in the history; a viewer's view; a time-lapse
 * that plays inline and downloads; every screen at 360 px without sideways scrolling.
 */

let rig: PhoneRig;
let t: TestDaemon;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  rig = await phoneRig({ simSpeed: 5, engine: "worker", setupAdmin: false });
  ({ t, browser, page } = rig);
});

afterAll(async () => {
  await rig?.close();
});

const id = (testId: string) => page.getByTestId(testId);
const go = (route: string) => rig.go(route);

describe("the dashboard on a phone", () => {
  it("sets up the first admin with the setup code and is signed in", async () => {
    await page.goto(t.url);
    await id("setup-code").fill(t.setupCode as string);
    await id("setup-name").fill(ADMIN.name);
    await id("setup-password").fill(ADMIN.password);
    await screenshot(page, "setup");
    await id("setup-submit").click();
    await expect
      .poll(() => id("printer-state").textContent(), { timeout: 30_000 })
      .toMatch(/idle|ready|operational/i);
    await screenshot(page, "home-idle");
  });

  it("uploads a fixture with its progress shown, and lists it with its analysis", async () => {
    await go("/files");
    await id("file-input").setInputFiles({
      name: "cube.gcode",
      mimeType: "text/x-gcode",
      buffer: readFileSync(CUBE),
    });
    await expect.poll(() => id("upload-progress").getAttribute("aria-valuenow")).toBe("100");
    const row = page.locator('[data-file="cube.gcode"]');
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/100 layers/);
    await screenshot(page, "files");
  });

  it("starts the print, shows the temperatures rising, pauses, resumes, and cancels after confirming", async () => {
    await page.locator('[data-file="cube.gcode"]').getByTestId("file-start").click();
    await go("/");
    await expect.poll(() => id("printer-state").textContent(), { timeout: 30_000 }).toMatch(/printing/i);
    await expect.poll(() => id("job-file").textContent()).toContain("cube.gcode");
    const nozzle = async () =>
      Number(/([\d.]+)/.exec((await id("temp-tool0").textContent()) ?? "")?.[1] ?? 0);
    const first = await nozzle();
    await expect.poll(nozzle, { timeout: 30_000 }).toBeGreaterThan(first + 5);
    await expect(id("temp-chart").locator("canvas").count()).resolves.toBeGreaterThan(0);
    await screenshot(page, "home-printing");
    await id("job-pause").click();
    await expect.poll(() => id("printer-state").textContent(), { timeout: 60_000 }).toMatch(/paused/i);
    await id("job-resume").click();
    await expect.poll(() => id("printer-state").textContent(), { timeout: 60_000 }).toMatch(/printing/i);
    await id("job-cancel").click();
    await expect(id("confirm-dialog").isVisible()).resolves.toBe(true);
    await screenshot(page, "cancel-confirm");
    await id("confirm-no").click();
    await expect.poll(() => id("printer-state").textContent()).toMatch(/printing/i);
    await id("job-cancel").click();
    await id("confirm-yes").click();
    await expect
      .poll(() => id("printer-state").textContent(), { timeout: 60_000 })
      .toMatch(/idle|ready|operational/i);
  });

  it("finds the cancelled print in the history", async () => {
    await go("/history");
    const row = id("history-row").first();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/cube\.gcode/);
    expect(await row.textContent()).toMatch(/cancel/i);
    await screenshot(page, "history");
  });

  it("plays a finished print's time-lapse inline and downloads it as an MP4", async () => {
    const patch = {
      mode: "layer",
      stabilize: false,
      minIntervalSeconds: 0,
      fps: 10,
      postRollSeconds: 1,
      minFreeMiB: 0,
    };
    await t.admin.login(ADMIN.name, ADMIN.password);
    expect((await t.admin.request("PATCH", "/api/v1/timelapse/settings", { json: patch })).status).toBe(200);
    const form = new FormData();
    form.append("file", new Blob([layeredGcode({ layers: 5, movesPerLayer: 8 })]), "rings.gcode");
    expect((await t.admin.request("POST", "/api/v1/files", { body: form })).status).toBe(201);
    await until(
      async () =>
        (await t.admin.get<{ analysis: { status: string } }>("/api/v1/files/rings.gcode")).body.analysis
          .status,
      (s) => s === "ready",
      "rings.gcode analysed",
    );
    expect((await t.admin.post("/api/v1/job/start", { file: "rings.gcode" })).status).toBe(201);
    await until(
      async () => (await t.admin.get<{ videos: unknown[] }>("/api/v1/timelapses")).body.videos.length,
      (n) => n > 0,
      "a rendered time-lapse",
      120_000,
    );
    await go("/timelapses");
    await id("timelapse-play").first().click();
    const video = id("timelapse-video").first();
    await video.waitFor({ timeout: 30_000 });
    // A string runs in the page (the DOM is not in this tsconfig's libraries).
    const played = await page.evaluate<{ duration: number; time: number; error: number | null }>(
      `(async () => {
        const v = document.querySelector('[data-testid="timelapse-video"]');
        v.muted = true;
        await v.play();
        await new Promise((r) => setTimeout(r, 300));
        return { duration: v.duration, time: v.currentTime, error: v.error ? v.error.code : null };
      })()`,
    );
    expect(played.error).toBeNull();
    expect(played.duration).toBeGreaterThan(0);
    expect(played.time).toBeGreaterThan(0);
    await screenshot(page, "timelapses");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      id("timelapse-download").first().click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^rings-.*\.mp4$/);
    const path = await download.path();
    const head = readFileSync(path).subarray(4, 8).toString("latin1");
    expect(head).toBe("ftyp");
  });

  it("shows every screen at 360 px without horizontal scrolling", async () => {
    for (const route of ["/", "/control", "/files", "/timelapses", "/history", "/terminal", "/settings"]) {
      await go(route);
      await page.waitForTimeout(300);
      expect({ route, overflow: await horizontalOverflow(page) }).toEqual({ route, overflow: 0 });
      expect({ route, small: await smallTargets(page) }).toEqual({ route, small: [] });
      await screenshot(page, `screen-${route === "/" ? "home" : route.slice(1)}`);
    }
  });
});

describe("a viewer", () => {
  it("sees the state, the camera and the time-lapses, but no control buttons; the server refuses its control requests", async () => {
    const viewer = await addUser(t, "vera", "viewer");
    const viewerContext = await phoneContext(browser, t.url);
    const viewerPage = await viewerContext.newPage();
    try {
      await viewerPage.goto(t.url);
      await viewerPage.getByTestId("login-name").fill("vera");
      await viewerPage.getByTestId("login-password").fill("a long enough test password");
      await viewerPage.getByTestId("login-submit").click();
      await expect
        .poll(() => viewerPage.getByTestId("printer-state").textContent(), { timeout: 30_000 })
        .not.toBe("");
      await expect(viewerPage.getByTestId("camera").count()).resolves.toBe(1);
      for (const control of ["job-pause", "job-cancel", "preset-PLA", "cooldown"]) {
        await expect(viewerPage.getByTestId(control).count()).resolves.toBe(0);
      }
      await viewerPage.goto(`${t.url}/#/control`);
      await expect(viewerPage.getByTestId("estop").count()).resolves.toBe(0);
      await viewerPage.goto(`${t.url}/#/timelapses`);
      await expect.poll(() => viewerPage.getByTestId("timelapse-row").count()).toBeGreaterThan(0);
      await expect(viewerPage.getByTestId("timelapse-delete").count()).resolves.toBe(0);
      await screenshot(viewerPage, "viewer-timelapses");
      for (const [path, body] of [
        ["/api/v1/job/pause", {}],
        ["/api/v1/printer/cooldown", {}],
        ["/api/v1/job/start", { file: "cube.gcode" }],
      ] as const) {
        expect((await viewer.post(path, body)).status).toBe(403);
      }
    } finally {
      await viewerContext.close();
    }
  });
});
