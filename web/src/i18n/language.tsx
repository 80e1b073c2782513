import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { de, type Messages } from './de';
import { en } from './en';

export type Lang = 'de' | 'en';

const dictionaries: Record<Lang, Messages> = { de, en };
const storageKey = 'crmsync.lang';

interface LanguageState {
  lang: Lang;
  t: Messages;
  setLang(lang: Lang): void;
}

const LanguageContext = createContext<LanguageState>({ lang: 'de', t: de, setLang: () => undefined });

/** German unless the user chose English on this browser before. */
function initialLang(): Lang {
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'de';
  } catch {
    return 'de';
  }
}

export function LanguageProvider({ children }: { children: ComponentChildren }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const t = dictionaries[lang];
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.app.title;
  }, [lang, t]);
  const value = useMemo<LanguageState>(
    () => ({
      lang,
      t,
      setLang(next) {
        try {
          localStorage.setItem(storageKey, next);
        } catch {
          // A browser that keeps nothing still switches for this visit.
        }
        setLangState(next);
      },
    }),
    [lang, t],
  );
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export const useLanguage = () => useContext(LanguageContext);
export const useT = () => useContext(LanguageContext).t;
