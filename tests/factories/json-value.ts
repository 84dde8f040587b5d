import { faker } from "@faker-js/faker";

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function scalar(): JsonValue {
  return faker.helpers.arrayElement([
    () => null,
    () => faker.datatype.boolean(),
    () => faker.number.int({ min: -1000, max: 1000 }),
    () => faker.number.float({ min: -1e6, max: 1e6, fractionDigits: 4 }),
    () => faker.lorem.words({ min: 0, max: 4 }),
    // What JSON writers must escape, and what V8 quotes back in its messages.
    () => faker.helpers.arrayElement(['say "hi"', "back\\slash", "tab\tnew\nline", "é 日本 😀", "{[,:]}", "\u0001"]),
  ])();
}

/** A random JSON value, nested at most `depth` levels: what a test report's JSON looks like to a parser. */
export function jsonValue(depth = 3): JsonValue {
  if (depth === 0 || faker.number.int(3) === 0) return scalar();
  if (faker.datatype.boolean()) {
    return Array.from({ length: faker.number.int({ min: 0, max: 4 }) }, () => jsonValue(depth - 1));
  }
  const object: { [key: string]: JsonValue } = {};
  for (let i = faker.number.int({ min: 0, max: 5 }); i > 0; i--) object[faker.lorem.word()] = jsonValue(depth - 1);
  return object;
}
