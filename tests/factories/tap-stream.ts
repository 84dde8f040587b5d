import { faker } from "@faker-js/faker";
import { Factory } from "fishery";

/** A TAP test point to render. */
export interface TapPointSpec {
  readonly ok: boolean;
  readonly description: string;
  readonly directive?: string;
  /** YAML lines of the diagnostics block, unindented. */
  readonly diagnostics?: readonly string[];
}

/** Passing test points with realistic descriptions. */
export const tapPointFactory = Factory.define<TapPointSpec>(({ sequence }) => ({
  ok: true,
  description: `${faker.word.verb()} the ${faker.word.noun()} ${sequence}`,
}));

/** Renders test points as a TAP 13 stream at `indent`, numbered, with a plan. */
export function tapLines(points: readonly TapPointSpec[], indent = ""): string[] {
  const lines = [`${indent}1..${points.length}`];
  points.forEach((point, i) => {
    const directive = point.directive === undefined ? "" : ` # ${point.directive}`;
    lines.push(`${indent}${point.ok ? "ok" : "not ok"} ${i + 1} - ${point.description}${directive}`);
    if (point.diagnostics !== undefined)
      lines.push(`${indent}  ---`, ...point.diagnostics.map((line) => `${indent}  ${line}`), `${indent}  ...`);
  });
  return lines;
}
