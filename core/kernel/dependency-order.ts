export interface DependencyProblem {
  code: 'CRMSYNC_ERR_DEPENDENCY_MISSING' | 'CRMSYNC_ERR_DEPENDENCY_CYCLE' | 'CRMSYNC_ERR_DEPENDENCY_FAILED';
  message: string;
}

export interface DependencyOrder {
  /** Ids such that every plugin comes after the plugins it depends on. */
  order: string[];
  problems: Map<string, DependencyProblem>;
}

/**
 * Orders plugins by `dependsOn`. A missing dependency or a cycle fails the plugins involved
 * (and those that depend on them) with a message naming the whole chain, e.g.
 * `a → b → c → a`; every other plugin is still ordered.
 */
export function orderByDependencies(
  dependencies: ReadonlyMap<string, readonly string[]>,
  /** Plugins that exist but already failed (bad manifest …), by id, with the reason. */
  failed: ReadonlyMap<string, string> = new Map(),
): DependencyOrder {
  const order: string[] = [];
  const problems = new Map<string, DependencyProblem>();
  const done = new Set<string>();

  const visit = (id: string, chain: string[]): boolean => {
    if (done.has(id)) return !problems.has(id);
    const loopStart = chain.indexOf(id);
    if (loopStart >= 0) {
      const cycle = [...chain.slice(loopStart), id].join(' → ');
      for (const member of chain.slice(loopStart)) {
        problems.set(member, { code: 'CRMSYNC_ERR_DEPENDENCY_CYCLE', message: `dependency cycle ${cycle}` });
      }
      return false;
    }
    let ok = true;
    for (const dependency of dependencies.get(id) ?? []) {
      const path = [...chain, id, dependency].join(' → ');
      const failure = failed.get(dependency);
      if (failure !== undefined && !dependencies.has(dependency)) {
        problems.set(id, {
          code: 'CRMSYNC_ERR_DEPENDENCY_FAILED',
          message: `depends on "${dependency}", which failed: ${failure}`,
        });
        ok = false;
      } else if (!dependencies.has(dependency)) {
        problems.set(id, {
          code: 'CRMSYNC_ERR_DEPENDENCY_MISSING',
          message: `depends on "${dependency}", which is not installed (${path})`,
        });
        ok = false;
      } else if (!visit(dependency, [...chain, id])) {
        if (!problems.has(id)) {
          const reason = problems.get(dependency)?.message ?? 'it failed';
          problems.set(id, {
            code: 'CRMSYNC_ERR_DEPENDENCY_FAILED',
            message: `depends on "${dependency}", which cannot start: ${reason}`,
          });
        }
        ok = false;
      }
    }
    done.add(id);
    if (ok && !problems.has(id)) order.push(id);
    return ok && !problems.has(id);
  };

  for (const id of [...dependencies.keys()].sort()) visit(id, []);
  return { order, problems };
}
