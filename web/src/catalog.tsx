import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { connectors, contributions } from './api/endpoints';
import type { ConnectorOverview, Contribution } from './api/types';
import { useT } from './i18n/language';

/**
 * What the host offers, read once: the groupware in use, the export options, and the names
 * of the duplicate rules and partner resolvers (the plugins name them in German; the client
 * has its own words for the ones it knows).
 */
export interface Catalog {
  connectors?: ConnectorOverview;
  exportOptions: Contribution[];
  names: Record<string, string>;
  error?: unknown;
}

const empty: Catalog = { exportOptions: [], names: {} };
const CatalogContext = createContext<Catalog>(empty);

export function CatalogProvider({ children, ready }: { children: ComponentChildren; ready: boolean }) {
  const [catalog, setCatalog] = useState<Catalog>(empty);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    Promise.all([contributions(), connectors()]).then(
      ([offered, overview]) => {
        if (!live) return;
        setCatalog({
          connectors: overview,
          exportOptions: offered.filter((entry) => entry.point === 'exportOptions'),
          names: Object.fromEntries(offered.map((entry) => [entry.id, entry.displayName ?? entry.id])),
        });
      },
      (error) => live && setCatalog({ ...empty, error }),
    );
    return () => {
      live = false;
    };
  }, [ready]);
  return <CatalogContext.Provider value={catalog}>{children}</CatalogContext.Provider>;
}

export const useCatalog = () => useContext(CatalogContext);

/** A contribution's name in the page's language where the client knows it, else the plugin's. */
export function useContributionName(): (id: string) => string {
  const { names } = useCatalog();
  const t = useT();
  return (id) => t.contributionNames[id] ?? names[id] ?? id;
}
