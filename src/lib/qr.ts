import QRCode from 'qrcode';

/** An inline SVG QR code (no external request, allowed by our CSP). */
export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
}
