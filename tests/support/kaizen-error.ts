import { isKaizenError, type KaizenError } from "../../src/domain/errors.js";

/**
 * Catching the `KaizenError` a call fails with, so a test can assert its code, file,
 * message and position. Anything else it throws is rethrown as is, and not failing at all
 * fails the test.
 */

/** The `KaizenError` that `run` throws. */
export function thrownKaizenError(run: () => unknown): KaizenError {
  try {
    run();
  } catch (error) {
    if (isKaizenError(error)) return error;
    throw error;
  }
  throw new Error("expected a KaizenError");
}

/** The `KaizenError` that `run` rejects with. */
export async function kaizenRejection(run: Promise<unknown>): Promise<KaizenError> {
  try {
    await run;
  } catch (error) {
    if (isKaizenError(error)) return error;
    throw error;
  }
  throw new Error("expected a KaizenError");
}
