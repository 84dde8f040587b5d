import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { assignTemplates } from "../../../src/analysis/template-assignment.js";
import { logCorpus, logEventFactory } from "../../factories/log-lines.js";

describe("assignTemplates", () => {
  it("assigns every line of an event the same final template, blank lines template 0", async () => {
    const events = logEventFactory.buildList(3);
    const { lines, truth } = logCorpus(events, 40);
    lines.splice(5, 0, "   ");
    truth.splice(5, 0, -1);
    const assignment = await assignTemplates(Readable.from(lines));
    expect(assignment.lineCount).toBe(lines.length);
    expect(assignment.templateOf(5)).toMatchObject({ id: "0", template: "", lines: 1 });
    for (let event = 0; event < events.length; event++) {
      const ids = new Set(truth.flatMap((t, i) => (t === event ? [assignment.templateOf(i).id] : [])));
      expect(ids.size).toBe(1);
    }
    const templates = assignment.templates();
    expect(templates).toHaveLength(4);
    expect(templates.map((t) => t.lines)).toEqual([40, 40, 40, 1]);
    expect(() => assignment.templateOf(lines.length)).toThrow(RangeError);
  });

  it("grows its per-line store past its first size", async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `request ${i} served`);
    const assignment = await assignTemplates(lines, { similarity: 0.4 });
    expect(assignment.templates()).toEqual([{ id: "1", template: "request <*> served", lines: 3000 }]);
  });
});
