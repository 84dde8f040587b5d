/**
 * Grouping accuracy (Zhu et al., "Tools and Benchmarks for Automated Log Parsing", ICSE-SEIP 2019):
 * the share of lines whose predicted group holds exactly the lines of their true group.
 */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) throw new Error("predicted and true labels differ in length");
  if (predicted.length === 0) return 1;
  const truthSizes = new Map<string, number>();
  for (const label of truth) truthSizes.set(label, (truthSizes.get(label) ?? 0) + 1);
  const groups = new Map<string, { size: number; labels: Set<string>; first: string }>();
  predicted.forEach((group, i) => {
    const label = truth[i] as string;
    const entry = groups.get(group);
    if (entry === undefined) groups.set(group, { size: 1, labels: new Set([label]), first: label });
    else {
      entry.size++;
      entry.labels.add(label);
    }
  });
  let correct = 0;
  for (const { size, labels, first } of groups.values())
    if (labels.size === 1 && truthSizes.get(first) === size) correct += size;
  return correct / predicted.length;
}
