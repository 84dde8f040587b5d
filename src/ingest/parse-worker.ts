/**
 * The entry point of a parse thread (see `parse-in-thread.ts`): serves one job, the one it was
 * started with, or, started ahead of its job, the first one posted to it. Kept to this so that
 * the thread loads nothing it does not use.
 */
import { once } from "node:events";
import { parentPort, workerData } from "node:worker_threads";
import { serveParse, type ParseJob } from "./parse-thread.js";

if (parentPort !== null) {
  const job =
    (workerData as ParseJob | undefined) ?? ((await once(parentPort, "message")) as [{ job: ParseJob }])[0].job;
  await serveParse(parentPort, job);
}
