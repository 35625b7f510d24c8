/**
 * Test photos, made by sharp in the test itself (no binary fixtures): a JPEG
 * carrying everything a phone writes into a photo (EXIF with the camera and a
 * GPS location, XMP, an ICC profile, a comment), PNG and WebP images, and
 * files that only pretend to be images.
 */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** Strings planted in the metadata of {@link photoWithMetadata}; none may survive processing. */
export const PLANTED = {
  camera: 'QuorumTestCam 9000',
  owner: 'Ada Secretly',
  place: 'SECRET-GARDEN-DATUM',
  xmp: 'xmp-creator-Ada-Secretly',
  comment: 'jpeg-comment-at-home',
} as const;

/** A coloured picture with a darker square in one corner, so orientation and crop show. */
function picture(width: number, height: number) {
  const corner = Buffer.from(
    `<svg width="${width}" height="${height}"><rect width="${Math.round(width / 3)}" height="${Math.round(height / 3)}" fill="#123"/></svg>`,
  );
  return sharp({ create: { width, height, channels: 3, background: '#3a7d5c' } }).composite([
    { input: corner, top: 0, left: 0 },
  ]);
}

/** Inserts a JPEG comment segment (COM, 0xFFFE) right after the start-of-image marker. */
function withJpegComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  const segment = Buffer.alloc(4 + body.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(body.length + 2, 2);
  body.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/**
 * A JPEG as a phone writes it: EXIF (camera, owner, GPS position), XMP, a
 * Display P3 ICC profile and a comment, each holding a {@link PLANTED} string.
 */
export async function photoWithMetadata(width = 640, height = 480): Promise<Buffer> {
  const jpeg = await picture(width, height)
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: PLANTED.camera, Artist: PLANTED.owner, Copyright: PLANTED.owner },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 28/1 3859/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 0/1 2987/100',
        GPSMapDatum: PLANTED.place,
      },
    })
    .withXmp(
      `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
        `<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="${PLANTED.xmp}"/>` +
        `</rdf:RDF></x:xmpmeta>`,
    )
    .withIccProfile('p3')
    .toBuffer();
  return withJpegComment(jpeg, PLANTED.comment);
}

export const photoPng = (width = 300, height = 200) => picture(width, height).png().toBuffer();
export const photoWebp = (width = 200, height = 300) => picture(width, height).webp().toBuffer();

/** A GIF: a real image, of a type avatars do not take. */
export const photoGif = () => picture(40, 40).gif().toBuffer();

/**
 * A small PNG whose header claims `width` × `height` pixels: decoding it would
 * need gigabytes, so it must be refused from its header alone.
 */
export async function pixelBomb(width = 20_000, height = 20_000): Promise<Buffer> {
  const png = Buffer.from(await photoPng(8, 8));
  // IHDR is the first chunk: length (4) and type (4) after the 8-byte signature, then the data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** Bytes that begin like a JPEG and then are not one. */
export const brokenJpeg = () =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg')]);
