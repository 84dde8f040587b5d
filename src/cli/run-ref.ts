import { KaizenError } from "../domain/errors.js";
import type { KyselyStore } from "../store/kysely-store.js";

/**
 * Kaizen's id of the run a `--run` flag names (Kaizen's run id or the CI run id), `undefined`
 * when the flag is not given; a `NOT_FOUND` error when no such run is stored.
 */
export async function runIdOf(
  store: KyselyStore,
  ref: string | undefined,
  project: string | undefined,
): Promise<number | undefined> {
  if (ref === undefined) return undefined;
  const run = await store.findRun(ref, project);
  if (run === undefined) throw new KaizenError("NOT_FOUND", `no run "${ref}" (see kaizen runs)`, { httpStatus: 404 });
  return run.id;
}
