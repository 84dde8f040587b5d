import { describe, expect, it } from "vitest";
import { alongside } from "../../../src/store/alongside.js";

/** A side task that runs until aborted or released, recording how it ended. */
function sideTask() {
  const state = { ended: "running" as "running" | "aborted" | "finished" };
  let release: () => void = () => undefined;
  const run = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      release = () => {
        state.ended = "finished";
        resolve();
      };
      signal.addEventListener("abort", () => {
        state.ended = "aborted";
        reject(new Error("aborted"));
      });
    });
  return { state, run, release: () => release() };
}

describe("alongside", () => {
  it("returns the main result once the side task is done too", async () => {
    const side = sideTask();
    const done = alongside(side.run, () => Promise.resolve(42));
    setTimeout(side.release, 5);
    await expect(done).resolves.toBe(42);
    expect(side.state.ended).toBe("finished");
  });

  it("aborts the side task and waits for it when the main task fails", async () => {
    const side = sideTask();
    await expect(alongside(side.run, () => Promise.reject(new Error("parse failed")))).rejects.toThrow("parse failed");
    expect(side.state.ended).toBe("aborted");
  });

  it("fails with the side task's error when only the side task fails", async () => {
    await expect(
      alongside(
        () => Promise.reject(new Error("compression failed")),
        () => Promise.resolve("ok"),
      ),
    ).rejects.toThrow("compression failed");
  });
});
