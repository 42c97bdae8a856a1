/** The citizen status page for a dossier, with its key: what the receipt's QR code encodes. */
export function citizenLookupUrl(publicBaseUrl: string, code: string, key: string): string {
  const params = new URLSearchParams({ ma: code, khoa: key });
  return `${publicBaseUrl}/tra-cuu?${params.toString()}`;
}
