/**
 * The entry point of a checkpoint thread (see `wal-checkpoints.ts`): serves the one database
 * file it was started with. Kept to this so that the thread loads nothing it does not use.
 */
import { parentPort, workerData } from "node:worker_threads";
import { serveCheckpoints } from "./wal-checkpoints.js";

if (parentPort !== null) serveCheckpoints(parentPort, workerData as string);
