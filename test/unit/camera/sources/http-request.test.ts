import { describe, expect, it } from "vitest";
import { cameraRequest } from "../../../../server/camera/sources/http-source.ts";

describe("cameraRequest", () => {
  it("moves credentials from the URL into a Basic Authorization header", () => {
    expect(cameraRequest("http://octo:p%40ss@127.0.0.1:8080/?action=snapshot")).toEqual({
      url: "http://127.0.0.1:8080/?action=snapshot",
      shown: "http://127.0.0.1:8080/?action=snapshot",
      headers: { authorization: `Basic ${Buffer.from("octo:p@ss").toString("base64")}` },
    });
  });

  it("leaves a URL without credentials as it is", () => {
    expect(cameraRequest("http://127.0.0.1:8080/?action=stream")).toEqual({
      url: "http://127.0.0.1:8080/?action=stream",
      shown: "http://127.0.0.1:8080/?action=stream",
      headers: {},
    });
  });
});
