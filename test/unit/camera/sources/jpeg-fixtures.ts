/**
 * A real 16x16 JPEG from ffmpeg (testsrc2, `-q:v 31`, 282 bytes): SOI, APP0 (JFIF), COM "Lavc58.42.100",
 * DQT, DHT, SOF0, SOS, entropy-coded data, EOI.
 */
export const TINY_JPEG = Buffer.from(
  "ffd8ffe000104a46494600010200000100010000fffe00104c61766335382e34322e31303000ffdb004300083e3e493e49" +
    "555555555555645d6468686864646464686868707070838383707070686870707c7c83838f938f8787838793939b9b9bba" +
    "bab2b2d9d9e0ffffffffc4006400010101000000000000000000000000000503070101010000000000000000000000000000" +
    "000610000200060105010000000000000000001101005121310212816171224191421100010305010000000000000000000000" +
    "020011018103f1d13151ffc00011080010001003012200021100031100ffda000c03010002110311003f00cbbc9b0a2d86f8" +
    "ba48fab4cda19c7f6bb5262114d69a8adf5e848f9cc26f14befd54043dae17ffd9",
  "hex",
);

/** Where TINY_JPEG's SOS segment starts (after SOI, APP0, COM, DQT, DHT, SOF0). */
const SOS_AT = 228;
/** SOS is FF DA, length 12 (00 0C), 10 bytes of scan header. */
const SOS_END = SOS_AT + 2 + 12;

/** TINY_JPEG's headers with other entropy-coded bytes: stuffed FFs (FF 00) and a restart marker (FF D3). */
export function stuffedJpeg(): Buffer {
  const entropy = Buffer.from("12ff0034ffd356ff00789a", "hex");
  return Buffer.concat([TINY_JPEG.subarray(0, SOS_END), entropy, Buffer.from([0xff, 0xd9])]);
}

/**
 * A JPEG whose APP1 (EXIF) segment carries a whole thumbnail JPEG, with its own SOI and EOI, as
 * camera JPEGs with EXIF do: the outer picture's end is not the thumbnail's EOI.
 */
export function thumbnailJpeg(): Buffer {
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), TINY_JPEG]);
  const app1 = Buffer.from([0xff, 0xe1, 0, 0]);
  app1.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([TINY_JPEG.subarray(0, 2), app1, payload, TINY_JPEG.subarray(2)]);
}
