/**
 * An in-memory CardLibraryLoader for unit tests of the card-reader driver: each library answers from a script
 * of outputs, can refuse to load, and can hang until released — the way a vendor library waiting on a PIN pad
 * or a stuck USB transfer does. The real FFI path is tested against native/libsscard through koffi.
 */
import type { CardLibrary, CardLibraryLoader, CardLibraryOptions, ReaderOutput } from './card-library';

export type FakeAnswer = ReaderOutput | 'hang';

export class FakeCardLibrary implements CardLibrary {
  /** answers to the next calls, in order; when empty, `fallback` answers */
  readonly answers: FakeAnswer[] = [];
  fallback: FakeAnswer = { code: -1, bytes: new Uint8Array(0), terminated: true };
  calls = 0;
  /** calls that have not returned yet */
  running = 0;
  private readonly hung = new Set<(output: ReaderOutput) => void>();
  readonly readIdCard: (() => Promise<ReaderOutput>) | undefined;

  constructor(
    readonly path: string,
    options: CardLibraryOptions,
  ) {
    this.readIdCard = options.abi === 'unified' ? () => this.call() : undefined;
  }

  readCardBas(): Promise<ReaderOutput> {
    return this.call();
  }

  /** Lets every hung call return `output` (default: no card). */
  release(output: ReaderOutput = { code: -1, bytes: new Uint8Array(0), terminated: true }): void {
    for (const finish of [...this.hung]) {
      this.hung.delete(finish);
      finish(output);
    }
  }

  private async call(): Promise<ReaderOutput> {
    this.calls++;
    this.running++;
    try {
      const answer = this.answers.shift() ?? this.fallback;
      if (answer !== 'hang') {
        await Promise.resolve(); // never synchronous: it runs on a worker thread for real
        return answer;
      }
      return await new Promise<ReaderOutput>((resolve) => this.hung.add(resolve));
    } finally {
      this.running--;
    }
  }
}

export class FakeCardLibraryLoader implements CardLibraryLoader {
  private readonly libraries = new Map<string, FakeCardLibrary>();
  private readonly missing = new Set<string>();
  readonly loadAttempts: string[] = [];

  /** The library at `path`, created on first mention. */
  library(path: string, options: CardLibraryOptions = { abi: 'unified', outBufferBytes: 2048 }): FakeCardLibrary {
    let library = this.libraries.get(path);
    if (!library) {
      library = new FakeCardLibrary(path, options);
      this.libraries.set(path, library);
    }
    return library;
  }

  /** Loading `path` fails until `install(path)`. */
  remove(path: string): void {
    this.missing.add(path);
  }

  install(path: string): void {
    this.missing.delete(path);
  }

  async load(path: string, options: CardLibraryOptions): Promise<CardLibrary> {
    this.loadAttempts.push(path);
    await Promise.resolve();
    if (this.missing.has(path)) throw new Error(`${path}: cannot open shared object file: No such file or directory`);
    return this.library(path, options);
  }
}
