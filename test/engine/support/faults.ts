import type {
  ContactStore,
  StateScope,
  StateStore,
  WriteOperation,
  WriteOutcome,
} from '../../../core/index.js';

/** Raised where a fault plan says the process dies: nothing after it happens. */
export class SimulatedCrash extends Error {}

/**
 * Counts the moments a commit could die at (before and after every state-store write and
 * every external write) and dies at the one chosen, so a test can crash a commit at each of
 * them in turn.
 */
export class CrashPlan {
  private seen = 0;
  readonly moments: string[] = [];
  constructor(private readonly crashAt = Number.POSITIVE_INFINITY) {}

  tick(moment: string): void {
    this.seen += 1;
    this.moments.push(moment);
    if (this.seen === this.crashAt) throw new SimulatedCrash(`simulated crash ${moment}`);
  }

  get count(): number {
    return this.seen;
  }
}

const writes: Record<string, readonly string[]> = {
  journal: ['intend', 'settle'],
  links: ['put', 'remove'],
  plans: ['update', 'updateItems'],
};

/**
 * The state store, dying before or after any of its writes as the plan says, and before and
 * after each transaction; a death inside a transaction leaves nothing of it, as the database
 * rolls back a transaction whose process died.
 */
export function crashingStateStore(store: StateStore, plan: CrashPlan): StateStore {
  const repository = (name: string, target: object) =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver);
        if (typeof value !== 'function' || !writes[name]!.includes(String(property))) return value;
        return async (...args: unknown[]) => {
          plan.tick(`before ${name}.${String(property)}`);
          const result = await value.apply(object, args);
          plan.tick(`after ${name}.${String(property)}`);
          return result;
        };
      },
    });
  const scopeOf = <T extends object>(scope: T): T =>
    new Proxy(scope, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver);
        return typeof property === 'string' && property in writes
          ? repository(property, value as object)
          : value;
      },
    });
  return new Proxy(scopeOf(store), {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property !== 'transaction') return value;
      return async (work: (scope: StateScope) => Promise<unknown>) => {
        plan.tick('before transaction');
        const result = await store.transaction((scope) => work(scopeOf(scope)));
        plan.tick('after transaction');
        return result;
      };
    },
  });
}

/** A contact store dying just before a write reaches it, or just after it was made. */
export function crashingContactStore<T extends ContactStore>(store: T, side: string, plan: CrashPlan): T {
  return new Proxy(store, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property !== 'apply') return typeof value === 'function' ? value.bind(object) : value;
      return async function* (operations: Iterable<WriteOperation>): AsyncIterable<WriteOutcome> {
        for (const operation of operations) {
          plan.tick(`before ${side} ${operation.kind}`);
          for await (const outcome of object.apply([operation])) {
            plan.tick(`after ${side} ${operation.kind}`);
            yield outcome;
          }
        }
      };
    },
  });
}
