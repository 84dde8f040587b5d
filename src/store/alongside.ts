/**
 * Runs `side` alongside `main` and returns what `main` returns once both are done. When
 * `main` fails, `side` is aborted and awaited before the failure is passed on, so that a
 * transaction is never rolled back with a write of `side` still on its way.
 */
export async function alongside<T>(
  side: (signal: AbortSignal) => Promise<unknown>,
  main: () => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  const sideDone = side(abort.signal);
  // Observed at once, so that its rejection is never reported as unhandled while `main` runs.
  const sideSettled = sideDone.then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  let result: T;
  try {
    result = await main();
  } catch (error) {
    abort.abort();
    await sideSettled;
    throw error;
  }
  await sideDone;
  return result;
}
