import { faker } from "@faker-js/faker";
import { Factory } from "fishery";

/** One example of `rspec --format json`. */
export interface RspecExampleJson {
  readonly id?: string;
  readonly description?: string;
  readonly full_description?: string;
  readonly status: string;
  readonly file_path?: string;
  readonly line_number?: number;
  readonly run_time?: number;
  readonly pending_message?: string | null;
  readonly exception?: { class?: string; message?: string; backtrace?: string[] } | null;
}

/** The whole report. */
export interface RspecReportJson {
  readonly version?: string;
  readonly messages?: string[];
  readonly examples: RspecExampleJson[];
  readonly summary?: Record<string, number>;
  readonly summary_line?: string;
}

/** Passing examples of a two-level group, as RSpec names them. */
export const rspecExampleFactory = Factory.define<RspecExampleJson>(({ sequence }) => {
  const klass = faker.word.noun().replace(/[^a-z]/gi, "") || "widget";
  const group = `${klass[0]?.toUpperCase() ?? "W"}${klass.slice(1)}#${faker.word.verb().replace(/[^a-z]/gi, "") || "call"}`;
  const description = `${faker.word.verb()}s the ${faker.word.noun()} ${sequence}`;
  const file = `./spec/${klass}_spec.rb`;
  return {
    id: `${file}[1:${sequence}]`,
    description,
    full_description: `${group} ${description}`,
    status: "passed",
    file_path: file,
    line_number: sequence + 2,
    run_time: faker.number.float({ min: 0.0001, max: 0.5, fractionDigits: 6 }),
    pending_message: null,
  };
});

/** A report around `examples`, with a summary that agrees with them. */
export function rspecReport(examples: RspecExampleJson[], extra: Partial<RspecReportJson> = {}): RspecReportJson {
  const failures = examples.filter((example) => example.status === "failed").length;
  const pending = examples.filter((example) => example.status === "pending").length;
  return {
    version: "3.13.0",
    examples,
    summary: {
      duration: 0.25,
      example_count: examples.length,
      failure_count: failures,
      pending_count: pending,
      errors_outside_of_examples_count: 0,
    },
    summary_line: `${examples.length} examples, ${failures} failures, ${pending} pending`,
    ...extra,
  };
}
