import jsQRImport from 'jsqr';

// jsqr is CommonJS with a default export; under NodeNext types the callable sits on .default.
type JsQR = typeof jsQRImport extends { default: infer D } ? D : typeof jsQRImport;
const jsQR = ((jsQRImport as { default?: unknown }).default ?? jsQRImport) as JsQR;

/**
 * Decodes a QR code from the inline SVG the app prints (qrcode's "M x y h n m dx dy" path form):
 * rasterizes the dark modules into pixels and reads them back with jsQR, an independent decoder.
 */
export function decodeQrSvg(svg: string): string | null {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !d) return null;
  const scale = 8;
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  const dark = (x: number, y: number) => {
    for (let py = y * scale; py < (y + 1) * scale; py++) {
      for (let px = x * scale; px < (x + 1) * scale; px++) {
        const i = (py * width + px) * 4;
        pixels[i] = pixels[i + 1] = pixels[i + 2] = 0;
      }
    }
  };
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of d.matchAll(/([MmHhVv])(-?[\d.]+)(?:\s(-?[\d.]+))?/g)) {
    const n = Number(a);
    if (cmd === 'M') {
      x = n;
      y = Number(b);
    } else if (cmd === 'm') {
      x += n;
      y += Number(b);
    } else if (cmd === 'h') {
      for (let i = 0; i < n; i++) dark(Math.floor(x + i), Math.floor(y));
      x += n;
    }
  }
  return jsQR(pixels, width, width)?.data ?? null;
}

/** Decodes a QR code from a decoded PNG (e.g. a browser screenshot read with pngjs). */
export function decodeQrPng(png: {
  width: number;
  height: number;
  data: Uint8Array;
}): string | null {
  return (
    jsQR(
      new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength),
      png.width,
      png.height,
    )?.data ?? null
  );
}
