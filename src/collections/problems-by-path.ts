/** "steps.2.offsetDays: must be at most 730" → problems by path; those without a path under "form". */
export function problemsByPath(problems: string[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const problem of problems) {
    const split = problem.indexOf(': ');
    const path = split > 0 ? problem.slice(0, split) : 'form';
    const message = split > 0 ? problem.slice(split + 2) : problem;
    byPath.set(path, [...(byPath.get(path) ?? []), message]);
  }
  return byPath;
}
