import type { StoredContentType } from '../db/schema.js';

/** Why an uploaded file is refused (the locale turns each reason into a message). */
export type Rejection =
  | 'unknown_type'
  | 'empty'
  | 'broken_pdf'
  | 'pdf_no_pages'
  | 'pdf_active_content'
  | 'pdf_encrypted'
  | 'broken_jpeg'
  | 'broken_png'
  | 'image_too_large';

export class FileRejectedError extends Error {
  override name = 'FileRejectedError';
  constructor(readonly reason: Rejection) {
    super(`file refused: ${reason}`);
  }
}

export interface Inspection {
  contentType: StoredContentType;
  pages: number;
}
