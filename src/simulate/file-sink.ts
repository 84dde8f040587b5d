import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";

/** Bytes gathered before one write: one write per testcase would cost more than building the text. */
const CHUNK = 1 << 16;

/**
 * A text file written in large chunks, waiting for the disk when it falls behind, so that
 * a history of any size is written in bounded memory. A write error (a full disk, a
 * removed directory) is raised by the next `write` or by `close`.
 */
export class FileSink {
  private buffer: string[] = [];
  private buffered = 0;
  private failure: Error | undefined;

  private constructor(
    private readonly stream: WriteStream,
    /** The path written. */
    readonly path: string,
  ) {
    stream.on("error", (error) => {
      this.failure = error;
    });
  }

  /** Opens (creating or truncating) `path`; rejects when it cannot be opened. */
  static async open(path: string, mode = 0o644): Promise<FileSink> {
    const stream = createWriteStream(path, { mode });
    // `once` rejects when the stream emits "error" instead.
    await once(stream, "open");
    return new FileSink(stream, path);
  }

  /** Appends `text`. */
  async write(text: string): Promise<void> {
    this.buffer.push(text);
    this.buffered += text.length;
    if (this.buffered >= CHUNK) await this.flush();
  }

  /** Raises the stream's error, if it had one. */
  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private async flush(): Promise<void> {
    this.check();
    const text = this.buffer.join("");
    this.buffer = [];
    this.buffered = 0;
    if (text !== "" && !this.stream.write(text)) await once(this.stream, "drain");
    this.check();
  }

  /** Writes what is left and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, "finish");
  }
}
