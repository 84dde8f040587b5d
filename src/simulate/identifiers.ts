import { ARTICLES } from "./vocabulary.js";

/** The words of a phrase, lower case, without articles ("the cache is cold" → cache, is, cold). */
export function wordsOf(phrase: string): string[] {
  return phrase
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "" && !ARTICLES.has(word));
}

const capitalized = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** `PascalCase` of a phrase. */
export function pascalCase(phrase: string): string {
  return wordsOf(phrase).map(capitalized).join("");
}

/** `camelCase` of a phrase. */
export function camelCase(phrase: string): string {
  const pascal = pascalCase(phrase);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** `snake_case` of a phrase. */
export function snakeCase(phrase: string): string {
  return wordsOf(phrase).join("_");
}

/** `kebab-case` of a phrase. */
export function kebabCase(phrase: string): string {
  return wordsOf(phrase).join("-");
}
