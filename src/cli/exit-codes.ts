import type { KaizenErrorCode } from "../domain/errors.js";

/** Exit codes of every `kaizen` command; documented in the README. */
export const EXIT = {
  /** Everything worked. */
  ok: 0,
  /** Some input could not be read, parsed or stored; the rest was processed. */
  inputFailed: 1,
  /** Wrong flags or arguments, or a bad configuration. */
  usage: 2,
  /** The database is unreachable or failed. */
  store: 3,
  /** What was asked for (a run, a test) does not exist. */
  notFound: 4,
  /** A bug in Kaizen: please report it. */
  internal: 70,
} as const;

/** The exit code a command ends with when it fails with an error of this code. */
export function exitCodeFor(code: KaizenErrorCode): number {
  switch (code) {
    case "USAGE":
    case "CONFIG":
      return EXIT.usage;
    case "STORE_UNAVAILABLE":
    case "STORE_ERROR":
      return EXIT.store;
    case "NOT_FOUND":
      return EXIT.notFound;
    default:
      return EXIT.inputFailed;
  }
}
