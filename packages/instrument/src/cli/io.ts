/** Where a command writes: one call per line (no trailing newline). `error` defaults to `write`. */
export interface CliIo {
  write: (line: string) => void;
  error?: (line: string) => void;
}

export const errorOf = (io: CliIo) => io.error ?? io.write;
