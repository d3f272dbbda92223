import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { scratchDir } from "../../../bench/processes.ts";
import type { RecoveryResponse, StartedJobResponse } from "../../../server/api/contract.ts";
import type { ApiClient } from "../../helpers/api-client.ts";
import { CUBE } from "../../helpers/fixtures.ts";
import { addUser, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { upload, waitForAnalysis, waitForPrinter, waitForState } from "./v1-helpers.ts";

/**
 * Recovery through the API: a daemon stopped mid-print leaves an interrupted print that the next
 * daemon on the same data directory offers; it is resumed from a layer (1-based) or discarded.
 */

let running: TestDaemon | null = null;

afterEach(async () => {
  await running?.stop();
  running = null;
});

/** A daemon on `dataDir`; the first admin only on the first start (the users stay in its auth.db). */
async function daemon(
  dataDir: string,
  first = false,
): Promise<{ t: TestDaemon; operator: ApiClient; viewer: ApiClient }> {
  const t = await startTestDaemon({ simSpeed: 50, config: { dataDir }, setupAdmin: first });
  running = t;
  const suffix = Math.random().toString(36).slice(2, 8);
  const operator = await addUser(t, `otto-${suffix}`, "operator");
  const viewer = await addUser(t, `vera-${suffix}`, "viewer");
  await waitForState(viewer, "idle");
  return { t, operator, viewer };
}

/** Prints until `layers` layers are done, then stops the daemon (the print is kept for recovery). */
async function interruptAt(viewer: ApiClient, layers: number): Promise<void> {
  await waitForPrinter(viewer, (s) => (s.job?.progress?.layer ?? 0) > layers, `layer ${layers + 1}`, 120_000);
  await running?.stop();
  running = null;
}

describe("an interrupted print", () => {
  it("is offered after a restart, refused for bad layers, resumed from a layer, and discarded", async () => {
    const dataDir = scratchDir("api-recovery");
    {
      const { operator, viewer } = await daemon(dataDir, true);
      const none = await viewer.get<RecoveryResponse>("/api/v1/recovery");
      expect(none.body).toEqual({ interrupted: null });
      expect((await operator.post("/api/v1/recovery/resume", { layer: 1 })).status).toBe(404);
      expect((await operator.post("/api/v1/recovery/discard")).status).toBe(404);
      expect((await upload(operator, "cube.gcode", readFileSync(CUBE))).status).toBe(201);
      await waitForAnalysis(operator, "cube.gcode");
      expect((await operator.post("/api/v1/job/start", { file: "cube.gcode" })).status).toBe(201);
      await interruptAt(viewer, 3);
    }
    {
      const { operator, viewer } = await daemon(dataDir);
      const found = await viewer.get<RecoveryResponse>("/api/v1/recovery");
      expect(found.status).toBe(200);
      const point = found.body.interrupted;
      expect(point).toMatchObject({ file: "cube.gcode", layerCount: 100, reason: expect.any(String) });
      const stoppedIn = point?.layer ?? 0;
      expect(stoppedIn).toBeGreaterThanOrEqual(4);
      expect((await viewer.get("/api/v1/printer")).body).toMatchObject({ interrupted: { layer: stoppedIn } });

      expect((await viewer.post("/api/v1/recovery/resume", { layer: 2 })).status).toBe(403);
      for (const layer of [0, stoppedIn + 1, "2", 1.5]) {
        const res = await operator.post("/api/v1/recovery/resume", { layer });
        expect(res.status, String(layer)).toBe(400);
        expect(res.body).toMatchObject({
          error: { code: "INVALID_INPUT", message: expect.stringContaining("body.layer") },
        });
      }
      const resumed = await operator.post<StartedJobResponse>("/api/v1/recovery/resume", { layer: 2 });
      expect(resumed.status, JSON.stringify(resumed.body)).toBe(201);
      expect(resumed.body).toMatchObject({ jobId: expect.any(Number), file: "cube.gcode" });
      expect(resumed.headers.get("location")).toBe(`/api/v1/history/jobs/${resumed.body.jobId}`);
      await waitForPrinter(
        viewer,
        (s) => s.state === "printing" && (s.job?.progress?.layer ?? 0) >= 2,
        "printing from layer 2",
        120_000,
      );
      // The resumed print is running: nothing is interrupted now.
      expect((await viewer.get<RecoveryResponse>("/api/v1/recovery")).body).toEqual({ interrupted: null });
      expect((await operator.post("/api/v1/recovery/discard")).status).toBe(404);
      await interruptAt(viewer, 3);
    }
    {
      const { operator, viewer } = await daemon(dataDir);
      expect((await viewer.get<RecoveryResponse>("/api/v1/recovery")).body.interrupted).toMatchObject({
        file: "cube.gcode",
      });
      expect((await viewer.post("/api/v1/recovery/discard")).status).toBe(403);
      expect((await operator.post("/api/v1/recovery/discard")).status).toBe(204);
      expect((await viewer.get<RecoveryResponse>("/api/v1/recovery")).body).toEqual({ interrupted: null });
      expect((await operator.post("/api/v1/recovery/discard")).status).toBe(404);
    }
  });
});
