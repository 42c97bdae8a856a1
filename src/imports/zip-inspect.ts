import { open } from 'node:fs/promises';

const END_OF_CENTRAL = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const MAX_32 = 0xffffffff;

export interface ZipSizes {
  entries: number;
  /** What the entries say they unpack to, in bytes. */
  unpacked: number;
  packed: number;
  /** The largest unpacked / packed ratio of an entry over 1 MiB. */
  worstRatio: number;
  /** The archive uses ZIP64 or sizes past 4 GiB: more than any tracking book needs. */
  zip64: boolean;
}

/**
 * Reads the sizes an XLSX (a ZIP) declares in its central directory, without unpacking anything:
 * a zip bomb declares gigabytes for a few megabytes. Declared sizes can lie; the reader's child
 * process has a memory cap for that case (sheet-reader.ts). Null when there is no readable
 * directory (the parser will then say the file is unreadable).
 */
export async function inspectZip(path: string): Promise<ZipSizes | null> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 65_557); // the end record and a comment of at most 64 KiB
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let end = -1;
    for (let i = tailLength - 22; i >= 0; i--)
      if (tail.readUInt32LE(i) === END_OF_CENTRAL) {
        end = i;
        break;
      }
    if (end < 0) return null;
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (count === 0xffff || directorySize === MAX_32 || directoryOffset === MAX_32)
      return {
        entries: count,
        unpacked: Infinity,
        packed: size,
        worstRatio: Infinity,
        zip64: true,
      };
    if (directoryOffset + directorySize > size || directorySize > 16 * 1024 * 1024) return null;
    const directory = Buffer.alloc(directorySize);
    await handle.read(directory, 0, directorySize, directoryOffset);
    const sizes: ZipSizes = { entries: 0, unpacked: 0, packed: 0, worstRatio: 0, zip64: false };
    for (
      let at = 0;
      at + 46 <= directory.length && directory.readUInt32LE(at) === CENTRAL_HEADER;
    ) {
      const packed = directory.readUInt32LE(at + 20);
      const unpacked = directory.readUInt32LE(at + 24);
      if (packed === MAX_32 || unpacked === MAX_32) sizes.zip64 = true;
      sizes.entries += 1;
      sizes.packed += packed;
      sizes.unpacked += unpacked;
      if (unpacked > 1024 * 1024)
        sizes.worstRatio = Math.max(sizes.worstRatio, unpacked / Math.max(1, packed));
      at +=
        46 +
        directory.readUInt16LE(at + 28) +
        directory.readUInt16LE(at + 30) +
        directory.readUInt16LE(at + 32);
    }
    return sizes;
  } finally {
    await handle.close();
  }
}
