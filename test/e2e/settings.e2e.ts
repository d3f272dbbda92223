import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, type TestDaemon } from "../helpers/test-daemon.ts";
import { horizontalOverflow, screenshot, smallTargets } from "./browser.ts";
import { type PhoneRig, phoneRig } from "./phone-rig.ts";

/**
 * The settings screen on a phone: an admin adds a temperature preset that the home screen then
 * offers, moves the pause park position, and changes their own password (and stays signed in).
 */

const NEW_PASSWORD = "a brand new admin password";

let rig: PhoneRig;
let t: TestDaemon;
let page: Page;

beforeAll(async () => {
  rig = await phoneRig({ simSpeed: 20 });
  ({ t, page } = rig);
});

afterAll(async () => {
  await rig?.close();
});

const id = (testId: string) => page.getByTestId(testId);
const go = (route: string) => rig.go(route);

describe("the settings screen on a phone", () => {
  it("signs in as the admin and fits a 360 px screen with large enough targets", async () => {
    await page.goto(t.url);
    await id("login-name").fill(ADMIN.name);
    await id("login-password").fill(ADMIN.password);
    await id("login-submit").click();
    await expect.poll(() => id("printer-state").isVisible(), { timeout: 30_000 }).toBe(true);
    await go("/settings");
    await expect.poll(() => id("preset-row").count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => id("settings-pause").isVisible()).toBe(true);
    await expect.poll(() => id("settings-password").isVisible()).toBe(true);
    await screenshot(page, "settings-presets");
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await smallTargets(page)).toEqual([]);
  });

  it("adds a TPU preset that the home screen offers", async () => {
    await id("preset-add").click();
    const row = id("preset-row").last();
    await row.getByTestId("preset-name").fill("TPU");
    await row.getByTestId("preset-nozzle").fill("225");
    await row.getByTestId("preset-bed").fill("50");
    await expect.poll(() => row.getAttribute("data-preset")).toBe("TPU");
    await id("presets-save").click();
    await expect
      .poll(async () => (await t.admin.get<{ temperaturePresets: unknown[] }>("/api/v1/settings")).body)
      .toMatchObject({ temperaturePresets: expect.arrayContaining([{ name: "TPU", nozzle: 225, bed: 50 }]) });
    expect(await horizontalOverflow(page)).toBe(0);
    await go("/");
    await expect.poll(() => id("preset-TPU").isVisible(), { timeout: 30_000 }).toBe(true);
  });

  it("moves the park position", async () => {
    await go("/settings");
    await expect.poll(() => id("park-y").isVisible(), { timeout: 30_000 }).toBe(true);
    await id("park-y").fill("150");
    await id("pause-save").click();
    await expect
      .poll(
        async () =>
          (await t.admin.get<{ jobs: { park: { y: number } } }>("/api/v1/settings")).body.jobs.park.y,
      )
      .toBe(150);
  });

  it("changes the admin's own password, stays signed in, and the new password logs in", async () => {
    await id("password-current").fill(ADMIN.password);
    await id("password-new").fill(NEW_PASSWORD);
    await id("password-save").click();
    await expect.poll(() => id("password-current").inputValue(), { timeout: 30_000 }).toBe("");
    expect(await id("password-error").count()).toBe(0);
    const fresh = t.client();
    await fresh.login(ADMIN.name, NEW_PASSWORD);
    expect((await fresh.get("/api/v1/settings")).status).toBe(200);
    await expect(t.client().login(ADMIN.name, ADMIN.password)).rejects.toThrow(/401/);
    // The dashboard carries on with its new session: a write with the new CSRF token works.
    await id("park-y").fill("140");
    await id("pause-save").click();
    await expect
      .poll(
        async () => (await fresh.get<{ jobs: { park: { y: number } } }>("/api/v1/settings")).body.jobs.park.y,
      )
      .toBe(140);
    expect(await id("login-form").count()).toBe(0);
  });
});
