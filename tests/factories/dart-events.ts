import { faker } from "@faker-js/faker";
import { Factory } from "fishery";

/** A Dart test to render into JSON reporter events. */
export interface DartTestSpec {
  /** The test's own name, without its groups' prefix. */
  readonly name: string;
  readonly result: "success" | "failure" | "error";
  readonly skipped: boolean;
  readonly skipReason?: string;
  readonly prints: readonly string[];
  readonly errors: readonly { readonly error: string; readonly stackTrace: string; readonly isFailure: boolean }[];
  readonly line: number;
  readonly millis: number;
}

/** Dart tests with realistic names; passing unless told otherwise. */
export const dartTestSpecFactory = Factory.define<DartTestSpec>(({ sequence }) => ({
  name: `${faker.word.verb()} the ${faker.word.noun()} ${sequence}`,
  result: "success",
  skipped: false,
  prints: [],
  errors: [],
  line: faker.number.int({ min: 1, max: 400 }),
  millis: faker.number.int({ min: 1, max: 50 }),
}));

/**
 * Writes a Dart JSON reporter stream (protocol 0.1.1) event by event, keeping ids and the
 * reporter's cumulative names (`group child`, `group child test`) consistent.
 */
export class DartStream {
  private readonly events: unknown[] = [
    { protocolVersion: "0.1.1", runnerVersion: "1.25.8", pid: 1, type: "start", time: 0 },
  ];
  private nextId = 0;
  private clock = 1;

  /** Adds a suite (a test file) with its hidden loading test and root group; returns the root group's id. */
  suite(path: string, platform = "vm"): { suiteID: number; rootID: number } {
    const suiteID = this.nextId++;
    this.events.push({ suite: { id: suiteID, platform, path }, type: "suite", time: this.clock });
    const loading = this.nextId++;
    this.push({
      test: {
        id: loading,
        name: `loading ${path}`,
        suiteID,
        groupIDs: [],
        metadata: { skip: false, skipReason: null },
        line: null,
        column: null,
        url: null,
      },
      type: "testStart",
    });
    this.push({ testID: loading, result: "success", skipped: false, hidden: true, type: "testDone" });
    const rootID = this.nextId++;
    this.push({
      group: {
        id: rootID,
        suiteID,
        parentID: null,
        name: "",
        metadata: { skip: false, skipReason: null },
        testCount: 0,
        line: null,
        column: null,
        url: null,
      },
      type: "group",
    });
    return { suiteID, rootID };
  }

  /** Adds a group under `parent` (ids outermost first, root group included); returns the new chain of ids. */
  group(suiteID: number, parents: readonly number[], fullName: string): number[] {
    const id = this.nextId++;
    this.push({
      group: {
        id,
        suiteID,
        parentID: parents[parents.length - 1] ?? null,
        name: fullName,
        metadata: { skip: false, skipReason: null },
        testCount: 1,
        line: 1,
        column: 1,
        url: null,
      },
      type: "group",
    });
    return [...parents, id];
  }

  /** Adds a test in the groups `groupIDs`, whose innermost named group is called `groupName`. */
  test(suiteID: number, groupIDs: readonly number[], groupName: string, spec: DartTestSpec, hidden = false): void {
    const id = this.nextId++;
    const name = groupName === "" ? spec.name : `${groupName} ${spec.name}`;
    const began = this.clock;
    this.push({
      test: {
        id,
        name,
        suiteID,
        groupIDs,
        metadata: { skip: spec.skipped, skipReason: spec.skipReason ?? null },
        line: spec.line,
        column: 3,
        url: "file:///repo/test/example_test.dart",
      },
      type: "testStart",
    });
    for (const message of spec.prints) this.push({ testID: id, messageType: "print", message, type: "print" });
    for (const error of spec.errors) this.push({ testID: id, ...error, type: "error" });
    this.clock = began + spec.millis;
    this.push({ testID: id, result: spec.result, skipped: spec.skipped, hidden, type: "testDone" });
  }

  /** Any other event, as given. */
  raw(event: Record<string, unknown>): void {
    this.push(event);
  }

  /** The stream, ended with `done`. */
  text(success = true): string {
    return `${[...this.events, { success, type: "done", time: this.clock }].map((event) => JSON.stringify(event)).join("\n")}\n`;
  }

  private push(event: Record<string, unknown>): void {
    this.events.push({ ...event, time: this.clock });
    this.clock++;
  }
}
