/**
 * The dependency graph of a synthesized CloudFormation template: `DependsOn` plus every `Ref` / `Fn::GetAtt` /
 * `Fn::Sub` reference to another resource, as CloudFormation builds it.
 */

type Resources = Record<string, { DependsOn?: string | string[]; Properties?: unknown }>;

/** Logical id → the logical ids it depends on. */
export function dependencyGraph(template: { Resources: Resources }): Map<string, Set<string>> {
  const ids = new Set(Object.keys(template.Resources));
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const deps = new Set<string>([resource.DependsOn ?? []].flat());
    collectReferences(resource.Properties, ids, deps);
    graph.set(id, deps);
  }
  return graph;
}

function collectReferences(node: unknown, ids: ReadonlySet<string>, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectReferences(item, ids, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'Ref' && typeof value === 'string' && ids.has(value)) into.add(value);
    else if (key === 'Fn::GetAtt' && Array.isArray(value) && ids.has(String(value[0]))) into.add(String(value[0]));
    else if (key === 'Fn::Sub') {
      const text = Array.isArray(value) ? String(value[0]) : String(value);
      for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}/g)) if (ids.has(match[1])) into.add(match[1]);
      if (Array.isArray(value)) collectReferences(value[1], ids, into);
    } else collectReferences(value, ids, into);
  }
}

/** One dependency cycle (its logical ids in order), or `undefined` when the template has none. */
export function findCycle(template: { Resources: Resources }): string[] | undefined {
  const graph = dependencyGraph(template);
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const dep of graph.get(id) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of graph.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}
