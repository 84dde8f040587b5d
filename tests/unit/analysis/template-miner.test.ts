import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { WILDCARD } from "../../../src/analysis/log-tokens.js";
import { TemplateMiner } from "../../../src/analysis/template-miner.js";
import { logCorpus, logEventFactory } from "../../factories/log-lines.js";

describe("TemplateMiner", () => {
  it("gives the lines of one event one template, and different events different ones", () => {
    const events = logEventFactory.buildList(4);
    const { lines, truth } = logCorpus(events, 25);
    const miner = new TemplateMiner();
    const ids = lines.map((line) => miner.add(line));
    const idsOf = (event: number) => new Set(ids.filter((_, i) => truth[i] === event));
    for (let event = 0; event < events.length; event++) expect(idsOf(event).size).toBe(1);
    expect(new Set(ids).size).toBe(events.length);
  });

  it("turns the positions where lines of an event differ into wildcards", () => {
    const miner = new TemplateMiner();
    const users = faker.helpers.uniqueArray(() => faker.person.firstName().toLowerCase(), 3);
    const ids = users.map((user) => miner.add(`session opened for user ${user} by system`));
    expect(new Set(ids).size).toBe(1);
    expect(miner.template(ids[0] as number)).toMatchObject({
      tokens: ["session", "opened", "for", "user", WILDCARD, "by", "system"],
      size: 3,
    });
  });

  it("keeps an instance of a template in it however many wildcards the template has", () => {
    const miner = new TemplateMiner({ similarity: 0.9 });
    const first = miner.add("copy now 1 2 3 to e");
    // Four of seven tokens equal the template's words, far below the similarity: but they are all its words.
    expect(miner.add("copy now p q r to e")).toBe(first);
    expect(miner.add("copy now p q r to f")).not.toBe(first);
  });

  it("does not join lines whose share of equal words is below the similarity", () => {
    const miner = new TemplateMiner({ similarity: 0.9 });
    expect(miner.add("disk sda is full now")).not.toBe(miner.add("disk sda was removed today"));
  });

  it("routes a short message by all but its last token, so that it can still join", () => {
    const miner = new TemplateMiner({ similarity: 0.5 });
    expect(miner.add("Adding debian:first.pem")).toBe(miner.add("Adding debian:second.pem"));
    expect(miner.add("restart")).not.toBe(miner.add("shutdown"));
  });

  it("sends tokens past the branch limit down the wildcard branch", () => {
    const miner = new TemplateMiner({ maxChildren: 2 });
    const ids = ["alpha", "beta", "gamma", "delta"].map((word) => miner.add(`${word} service started on node`));
    // alpha and beta got their own branches; gamma and delta share the wildcard branch and then a template.
    expect(ids[2]).toBe(ids[3]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("prefers the larger of two templates that fit a line equally", () => {
    const miner = new TemplateMiner({ similarity: 0.5 });
    const big = miner.add("job step a done x");
    miner.add("job step b done x");
    const small = miner.add("job step c failed y");
    expect(small).not.toBe(big);
    // Three of five tokens equal either template's words: the one with two lines takes it.
    expect(miner.add("job step d done y")).toBe(big);
  });

  it("lists templates in the order they were first seen, and knows no template it never made", () => {
    const miner = new TemplateMiner();
    miner.add("first event happened");
    miner.add("second thing occurred here");
    expect(miner.templates().map((t) => t.id)).toEqual([1, 2]);
    expect(miner.template(3)).toBeUndefined();
  });

  it("answers repeated lines from its cache, counting them", () => {
    const miner = new TemplateMiner();
    const line = faker.lorem.sentence();
    for (let i = 0; i < 5; i++) miner.add(line);
    expect(miner.templates()).toEqual([expect.objectContaining({ size: 5 })]);
  });
});
