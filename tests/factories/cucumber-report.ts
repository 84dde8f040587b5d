import { faker } from "@faker-js/faker";
import { Factory } from "fishery";

/** A step result as Cucumber's JSON formatter writes it. */
export interface CucumberResultJson {
  readonly status?: string;
  readonly duration?: number;
  readonly error_message?: string;
}

/** A step (or hook) of a scenario. */
export interface CucumberStepJson {
  readonly keyword?: string;
  readonly name?: string;
  readonly line?: number;
  readonly result?: CucumberResultJson;
  readonly output?: unknown[];
  readonly embeddings?: { mime_type?: string; data?: string }[];
  readonly before?: CucumberStepJson[];
  readonly after?: CucumberStepJson[];
}

/** A scenario or background element. */
export interface CucumberElementJson {
  readonly type?: string;
  readonly keyword?: string;
  readonly name?: string;
  readonly line?: number;
  readonly tags?: (string | { name: string; line?: number })[];
  readonly start_timestamp?: string;
  readonly before?: CucumberStepJson[];
  readonly steps?: CucumberStepJson[];
  readonly after?: CucumberStepJson[];
}

/** A feature: one entry of the report's top-level array. */
export interface CucumberFeatureJson {
  readonly uri?: string;
  readonly name?: string;
  readonly keyword?: string;
  readonly tags?: { name: string; line?: number }[];
  readonly elements?: CucumberElementJson[];
}

const KEYWORDS = ["Given ", "When ", "Then ", "And "];

/** Steps with a result; passing, timed in nanoseconds. */
export const cucumberStepFactory = Factory.define<CucumberStepJson>(({ sequence }) => ({
  keyword: KEYWORDS[sequence % KEYWORDS.length] ?? "Given ",
  name: `${faker.word.verb()} the ${faker.word.noun()}`,
  line: sequence + 3,
  result: { status: "passed", duration: faker.number.int({ min: 10_000, max: 50_000_000 }) },
}));

/** Scenarios of three passing steps. */
export const cucumberScenarioFactory = Factory.define<CucumberElementJson>(({ sequence }) => ({
  type: "scenario",
  keyword: "Scenario",
  name: `${faker.word.verb()} a ${faker.word.noun()} ${sequence}`,
  line: sequence * 10,
  tags: [],
  steps: cucumberStepFactory.buildList(3),
}));

/** Features of two passing scenarios. */
export const cucumberFeatureFactory = Factory.define<CucumberFeatureJson>(({ sequence }) => {
  const noun = faker.word.noun().replace(/[^a-z]/gi, "") || "feature";
  return {
    uri: `features/${noun}-${sequence}.feature`,
    name: `${noun[0]?.toUpperCase() ?? "F"}${noun.slice(1)} ${sequence}`,
    keyword: "Feature",
    tags: [],
    elements: cucumberScenarioFactory.buildList(2),
  };
});
