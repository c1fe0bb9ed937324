/**
 * The FFI edge: vendor card-reading libraries (DLL / .so) behind an interface the card-reader driver is
 * written against, and its koffi implementation.
 *
 * Every call runs on one of koffi's worker threads (`.async`), never on the main thread: a vendor library
 * that waits for a PIN, or hangs outright, must not freeze the station. Such a call cannot be cancelled, so
 * the driver stops waiting for it (CommandQueue) but never starts another call beside it.
 */
import type { CardReaderAbi } from '../models';

/** What one library call left behind: its return code and the output buffer up to the first NUL. */
export interface ReaderOutput {
  code: number;
  bytes: Uint8Array;
  /** whether a NUL ended the output within the buffer (a library that overran it is not to be trusted) */
  terminated: boolean;
}

export interface CardLibrary {
  readonly path: string;
  readCardBas(): Promise<ReaderOutput>;
  /** undefined when the library's ABI has no ID-card entry point */
  readonly readIdCard: (() => Promise<ReaderOutput>) | undefined;
}

export interface CardLibraryOptions {
  abi: CardReaderAbi;
  outBufferBytes: number;
}

export interface CardLibraryLoader {
  /** Loads the library and binds its entry points; throws when it cannot be loaded or lacks ReadCardBas. */
  load(path: string, options: CardLibraryOptions): Promise<CardLibrary>;
}

/** MOHRSS iReadCardBas card type: contact card first, then contactless. */
const MOHRSS_AUTO_CONTACT_FIRST = 3;

export function createKoffiCardLibraryLoader(): CardLibraryLoader {
  return {
    async load(path, { abi, outBufferBytes }) {
      // Loaded on first use: a station without an FFI reader never loads the native addon.
      const koffi = (await import('koffi')).default;
      const library = koffi.load(path);
      // __stdcall: what the Windows x86 builds of these libraries use; koffi ignores it on other platforms.
      if (abi === 'mohrss') {
        const iReadCardBas = library.func('int __stdcall iReadCardBas(int iType, uint8_t *pOutInfo)');
        return {
          path,
          readCardBas: () => callWithBuffer(iReadCardBas, outBufferBytes, (buffer) => [MOHRSS_AUTO_CONTACT_FIRST, buffer]),
          readIdCard: undefined,
        };
      }
      const readCardBas = library.func('long __stdcall ReadCardBas(uint8_t *pOutInfo, long nOutLen)');
      const readSfz = bindOptional(() => library.func('long __stdcall ReadSFZ(uint8_t *pOutInfo, long nOutLen)'));
      const withLength = (buffer: Buffer) => [buffer, buffer.length];
      return {
        path,
        readCardBas: () => callWithBuffer(readCardBas, outBufferBytes, withLength),
        readIdCard: readSfz && (() => callWithBuffer(readSfz, outBufferBytes, withLength)),
      };
    },
  };
}

interface AsyncNativeFunction {
  async(...args: unknown[]): void;
}

function bindOptional<F>(bind: () => F): F | undefined {
  try {
    return bind();
  } catch {
    return undefined; // the symbol is not exported by this library
  }
}

/**
 * koffi does not keep the arguments of an async call alive: if the garbage collector took the output buffer
 * while a slow or hung native call still runs, the library would later write into freed memory (seen as
 * heap corruption in testing). Buffers stay here until their call returns.
 */
const buffersInNativeCalls = new Set<Buffer>();

async function callWithBuffer(fn: AsyncNativeFunction, bufferBytes: number, args: (buffer: Buffer) => unknown[]): Promise<ReaderOutput> {
  const buffer = Buffer.alloc(bufferBytes);
  buffersInNativeCalls.add(buffer);
  let result: unknown;
  try {
    result = await new Promise((resolve, reject) => {
      fn.async(...args(buffer), (error: unknown, value: unknown) => (error ? reject(error) : resolve(value)));
    });
  } finally {
    buffersInNativeCalls.delete(buffer);
  }
  const end = buffer.indexOf(0);
  return {
    code: Number(result),
    bytes: Uint8Array.from(buffer.subarray(0, end < 0 ? buffer.length : end)),
    terminated: end >= 0,
  };
}
