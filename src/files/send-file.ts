import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { FileContent } from './content.service.js';

/**
 * Sends a stored file: its detected type (only PDF, JPEG or PNG are ever stored), never sniffed,
 * inside a sandbox with no right to load or run anything, named by Content-Disposition. A
 * checksum failure found while streaming (the read was verified first) cuts the response, so a
 * damaged byte never arrives as a complete file.
 */
export async function sendFile(res: Response, content: FileContent): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', content.contentType);
  res.setHeader('Content-Length', String(content.size));
  // The name is made of the dossier code, the component and the page: ASCII only (content.service).
  const name = content.filename.replace(/[^A-Za-z0-9._-]/g, '_');
  res.setHeader('Content-Disposition', `${content.disposition}; filename="${name}"`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'; frame-ancestors 'self'");
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'private, no-store');
  try {
    await pipeline(content.stream, res);
  } catch {
    res.destroy();
  }
}
