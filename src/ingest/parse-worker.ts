/**
 * The entry point of a parse thread (see `parse-in-thread.ts`): serves the one job it was
 * started with. Kept to this so that the thread loads nothing it does not use.
 */
import { parentPort, workerData } from "node:worker_threads";
import { serveParse, type ParseJob } from "./parse-thread.js";

if (parentPort !== null) await serveParse(parentPort, workerData as ParseJob);
