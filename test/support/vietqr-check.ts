/**
 * An independent reading of a VietQR payload for the tests: its own TLV walk and a bit-by-bit
 * CRC-16/CCITT-FALSE (not the app's code), checking the layout NAPAS's profile requires
 * (00 first, 63 last with a matching CRC, 38 with the NAPAS GUID). Throws on anything off; returns
 * the fields a payment needs.
 */
export function bitwiseCrc16(text: string): number {
  let crc = 0xffff;
  for (const ch of text) {
    const byte = ch.charCodeAt(0);
    if (byte > 0x7f) throw new Error('non-ASCII in a payload');
    for (let bit = 7; bit >= 0; bit--) {
      const top = ((crc >> 15) & 1) ^ ((byte >> bit) & 1);
      crc = (crc << 1) & 0xffff;
      if (top) crc ^= 0x1021;
    }
  }
  return crc;
}

function objects(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < text.length;) {
    const id = text.substring(i, i + 2);
    const len = parseInt(text.substring(i + 2, i + 4), 10);
    if (!/^\d\d$/.test(id) || Number.isNaN(len)) throw new Error(`bad object at ${i}`);
    const value = text.substring(i + 4, i + 4 + len);
    if (value.length !== len) throw new Error(`short object ${id}`);
    out.push([id, value]);
    i += 4 + len;
  }
  return out;
}

export interface VietQrFields {
  initiation: string;
  bankBin: string;
  account: string;
  service: string;
  currency: string;
  amount?: string;
  country: string;
  billNumber?: string;
  purpose?: string;
}

export function checkVietQrPayload(payload: string): VietQrFields {
  const top = objects(payload);
  const ids = top.map(([id]) => id);
  if (ids[0] !== '00' || top[0]![1] !== '01') throw new Error('00 must come first, as 01');
  if (ids.at(-1) !== '63') throw new Error('63 must come last');
  if (new Set(ids).size !== ids.length) throw new Error('an ID twice');
  const crc = top.at(-1)![1];
  const expected = bitwiseCrc16(payload.slice(0, -4)).toString(16).toUpperCase().padStart(4, '0');
  if (crc !== expected) throw new Error(`CRC ${crc}, expected ${expected}`);
  const get = (id: string) => top.find(([i]) => i === id)?.[1];
  const merchant = Object.fromEntries(objects(get('38') ?? ''));
  if (merchant['00'] !== 'A000000727') throw new Error('38.00 must be the NAPAS GUID');
  const beneficiary = Object.fromEntries(objects(merchant['01'] ?? ''));
  const extra = Object.fromEntries(objects(get('62') ?? ''));
  return {
    initiation: get('01')!,
    bankBin: beneficiary['00']!,
    account: beneficiary['01']!,
    service: merchant['02']!,
    currency: get('53')!,
    ...(get('54') !== undefined ? { amount: get('54') } : {}),
    country: get('58')!,
    ...(extra['01'] !== undefined ? { billNumber: extra['01'] } : {}),
    ...(extra['08'] !== undefined ? { purpose: extra['08'] } : {}),
  };
}
