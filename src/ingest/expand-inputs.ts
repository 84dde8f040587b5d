import { stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { KaizenError } from "../domain/errors.js";

/** One file to ingest. */
export interface InputFile {
  /** The path, as given or as found. */
  readonly path: string;
  /**
   * `true` when the user named the file (or a glob matched it); `false` when it was found by
   * walking a folder, where files that are not test reports are passed over, not errors.
   */
  readonly explicit: boolean;
}

/** The files of an ingest, and the inputs that named nothing. */
export interface ExpandedInputs {
  readonly files: readonly InputFile[];
  readonly errors: readonly KaizenError[];
}

const IGNORED_DIRS = ["**/node_modules/**", "**/.git/**", "**/.kaizen/**"];

/** Turns files, folders and glob patterns into the list of files to ingest, each once, in a stable order. */
export async function expandInputs(inputs: readonly string[], cwd: string): Promise<ExpandedInputs> {
  const files: InputFile[] = [];
  const seen = new Set<string>();
  const errors: KaizenError[] = [];
  const add = (path: string, explicit: boolean): void => {
    // Resolved, so that "/a/./b.xml", "/a/b.xml" and "b.xml" from "/a" are one file.
    const key = resolve(cwd, path);
    if (seen.has(key)) return;
    seen.add(key);
    files.push({ path, explicit });
  };
  for (const input of inputs) {
    const info = await stat(isAbsolute(input) ? input : join(cwd, input)).catch(() => undefined);
    if (info?.isFile() === true) {
      add(input, true);
    } else if (info?.isDirectory() === true) {
      const found = await glob("**/*", {
        cwd: isAbsolute(input) ? input : join(cwd, input),
        onlyFiles: true,
        ignore: IGNORED_DIRS,
        dot: false,
      });
      for (const file of found.sort()) add(join(input, file), false);
    } else if (isDynamicPattern(input)) {
      const found = await glob(input, { cwd, onlyFiles: true, ignore: IGNORED_DIRS, absolute: isAbsolute(input) });
      if (found.length === 0)
        errors.push(
          new KaizenError("INPUT_UNREADABLE", "no file matches this pattern", { file: input, httpStatus: 400 }),
        );
      for (const file of found.sort()) add(isAbsolute(input) ? file : relative(cwd, join(cwd, file)), true);
    } else {
      errors.push(new KaizenError("INPUT_UNREADABLE", "no such file or directory", { file: input, httpStatus: 400 }));
    }
  }
  return { files, errors };
}
