import type { DatabaseConnection, Dialect, Driver } from 'kysely';

/**
 * Wraps a dialect so that every error its driver raises passes through `map` first: the
 * store's callers see a busy or unreadable database as a crmsync error, whichever repository
 * happened to touch it.
 */
export function mapDriverErrors(dialect: Dialect, map: (error: unknown) => unknown): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => {
      // One wrapper per connection: Kysely recognises a connection it has seen by identity.
      const wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
      const wrap = (connection: DatabaseConnection) => {
        const known = wrapped.get(connection);
        if (known) return known;
        const wrapper = mapRejections(connection, map);
        wrapped.set(connection, wrapper);
        return wrapper;
      };
      return mapRejections(dialect.createDriver(), map, (name, value) =>
        name === 'acquireConnection' ? wrap(value as DatabaseConnection) : value,
      ) satisfies Driver;
    },
  };
}

function mapRejections<T extends object>(
  target: T,
  map: (error: unknown) => unknown,
  resolved: (name: string, value: unknown) => unknown = (_, value) => value,
): T {
  return new Proxy(target, {
    get(object, name, receiver) {
      const member = Reflect.get(object, name, receiver);
      if (typeof member !== 'function') return member;
      // Drivers keep private fields: a method must run on the object itself, not the proxy.
      if (typeof name !== 'string') return member.bind(object);
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = member.apply(object, args);
        } catch (error) {
          throw map(error);
        }
        if (!(result instanceof Promise)) return result;
        return result.then(
          (value) => resolved(name, value),
          (error) => {
            throw map(error);
          },
        );
      };
    },
  });
}
