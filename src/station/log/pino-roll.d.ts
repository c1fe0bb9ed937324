// pino-roll ships no types; what file-logger.ts uses of it (the stream is a sonic-boom instance).
declare module 'pino-roll' {
  interface PinoRollOptions {
    file: string;
    extension?: string;
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    limit?: { count: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
    symlink?: boolean;
    dateFormat?: string;
    sync?: boolean;
  }
  interface RollStream {
    write(data: string): boolean;
    flushSync(): void;
    end(): void;
    once(event: 'close', listener: () => void): this;
  }
  export default function pinoRoll(options: PinoRollOptions): Promise<RollStream>;
}
