import { describe, expect, it } from "vitest";
import { DEFAULT_USB, type UsbCameraConfig } from "../../../../server/camera/sources/camera-source.ts";
import {
  checkVideoDevice,
  UsbSource,
  usbStreamArgs,
  usbWebcamOptions,
} from "../../../../server/camera/sources/usb-source.ts";
import { isHostError } from "../../../../server/util/errors.ts";
import { silentLogger } from "../../../../server/util/log.ts";

const C270: UsbCameraConfig = { kind: "usb", device: "/dev/video0", width: 1280, height: 720, fps: 30 };
const MISSING: UsbCameraConfig = { ...DEFAULT_USB, device: "/dev/video-does-not-exist" };

describe("usbStreamArgs", () => {
  it("copies the camera's MJPEG into mpjpeg parts without re-encoding", () => {
    expect(usbStreamArgs(C270)).toEqual([
      ...["-hide_banner", "-nostdin", "-loglevel", "error"],
      ...["-f", "v4l2", "-input_format", "mjpeg", "-video_size", "1280x720", "-framerate", "30"],
      ...["-i", "/dev/video0", "-c:v", "copy", "-f", "mpjpeg", "-flush_packets", "1", "-"],
    ]);
  });
});

describe("usbWebcamOptions", () => {
  it("asks node-webcam for one JPEG of the configured size, kept nowhere", () => {
    expect(usbWebcamOptions(C270)).toEqual({
      device: "/dev/video0",
      width: 1280,
      height: 720,
      quality: 90,
      output: "jpeg",
      callbackReturn: "buffer",
      saveShots: false,
      delay: 0,
      verbose: false,
      topBanner: false,
      bottomBanner: false,
    });
  });
});

describe("checkVideoDevice", () => {
  it("names a missing device in a CAMERA error", () => {
    expect(() => checkVideoDevice("/dev/video-does-not-exist", "snapshot")).toThrow(
      "camera snapshot /dev/video-does-not-exist failed: no such device (is the webcam plugged in?)",
    );
  });

  it("refuses a file that is not a character device", () => {
    expect(() => checkVideoDevice("/etc/hostname", "stream")).toThrow(
      "camera stream /etc/hostname failed: not a video device",
    );
  });

  it("refuses a path node-webcam's shell command could misread, as CONFIG", () => {
    for (const device of ["/dev/video0; rm -rf ~", "video0", "/dev/video 0", "$(reboot)"]) {
      let error: unknown;
      try {
        checkVideoDevice(device, "snapshot");
      } catch (err) {
        error = err;
      }
      expect(isHostError(error, "CONFIG")).toBe(true);
    }
    expect(() => checkVideoDevice("/dev/null", "stream")).not.toThrow();
  });
});

describe("UsbSource with no such device", () => {
  const source = new UsbSource(MISSING, { log: silentLogger() });

  it("rejects a snapshot with a CAMERA error", async () => {
    const error = await source.snapshot().catch((err: unknown) => err);
    expect(isHostError(error, "CAMERA")).toBe(true);
    expect((error as Error).message).toBe(
      "camera snapshot /dev/video-does-not-exist failed: no such device (is the webcam plugged in?)",
    );
  });

  it("ends a stream with a CAMERA error, on a later tick", async () => {
    let sync = true;
    const ended = new Promise<Error | null>((resolve) => {
      source.openStream(
        () => {},
        (err) => resolve(sync ? new Error("onEnd was called synchronously") : err),
      );
    });
    sync = false;
    const error = await ended;
    expect(isHostError(error, "CAMERA")).toBe(true);
    expect(error?.message).toBe(
      "camera stream /dev/video-does-not-exist failed: no such device (is the webcam plugged in?)",
    );
  });

  it("ends with null when closed before the failure is reported", async () => {
    const ended = new Promise<Error | null>((resolve) => source.openStream(() => {}, resolve).close());
    expect(await ended).toBeNull();
  });
});
