import pc from "picocolors";

/** Where a command writes; injected so that commands are testable without a process. */
export interface Output {
  /** Writes a line to standard output. */
  out(line: string): void;
  /** Writes a line to standard error. */
  err(line: string): void;
  /** Whether colour may be used (a TTY, and neither NO_COLOR nor --no-color). */
  readonly color: boolean;
  /** Whether standard error is an interactive terminal (for progress bars). */
  readonly interactive: boolean;
}

/** The process's own stdout and stderr. */
export function processOutput(): Output {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    // Colour on a terminal only (picocolors alone would also colour CI logs); NO_COLOR wins, FORCE_COLOR forces it on.
    color: pc.isColorSupported && (process.stdout.isTTY || process.env.FORCE_COLOR !== undefined),
    interactive: process.stderr.isTTY,
  };
}

/** Colour functions that do nothing when colour is off. */
export function palette(output: Output) {
  const wrap = (fn: (text: string) => string) => (text: string) => (output.color ? fn(text) : text);
  return {
    red: wrap(pc.red),
    green: wrap(pc.green),
    yellow: wrap(pc.yellow),
    dim: wrap(pc.dim),
    bold: wrap(pc.bold),
    cyan: wrap(pc.cyan),
  };
}

/** Prints a value as pretty JSON on stdout. */
export function printJson(output: Output, value: unknown): void {
  output.out(JSON.stringify(value, null, 2));
}

/** Formats rows as left-aligned columns (the last column is not padded). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  // A loop, not Math.max(...spread): a spread of a few hundred thousand rows overflows the call stack.
  const widths = header.map((title, i) => {
    let width = title.length;
    for (const row of rows) width = Math.max(width, (row[i] ?? "").length);
    return width;
  });
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
