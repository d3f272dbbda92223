import { describe, expect, it } from "vitest";
import { renderSettings } from "../../../../server/camera/render/render-timelapse.ts";

describe("renderSettings", () => {
  it("applies the defaults", () => {
    expect(renderSettings({ threads: 2 })).toEqual({
      fps: 25,
      postRollSeconds: 0,
      maxWidth: 1920,
      maxHeight: 1080,
      encoder: "auto",
      threads: 2,
    });
  });

  it.each([
    [{ fps: 0 }, /fps = 0/],
    [{ fps: Number.NaN }, /fps = null/],
    [{ postRollSeconds: -1 }, /postRollSeconds = -1/],
    [{ maxWidth: 640.5 }, /maxWidth = 640\.5/],
    [{ maxHeight: 1 }, /maxHeight = 1/],
    [{ threads: -1 }, /threads = -1/],
    [{ encoder: "h264_omx" as "auto" }, /encoder = "h264_omx"/],
  ])("rejects %o as INVALID_INPUT", (options, message) => {
    expect(() => renderSettings(options)).toThrow(message);
    try {
      renderSettings(options);
    } catch (err) {
      expect(err).toMatchObject({ code: "INVALID_INPUT" });
    }
  });
});
