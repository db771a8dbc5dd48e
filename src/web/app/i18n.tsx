import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { setApiLanguage } from '../api/client';

/**
 * Chinese first, English switchable. Texts live next to their use as `t('中文', 'English')` — the Chinese is the
 * source, the English its translation; the choice is kept in localStorage and sent to the API as Accept-Language.
 */
export type Lang = 'zh' | 'en';

interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t(zh: string, en: string): string;
}

const KEY = 'jz.lang';
const initial = (): Lang => {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
};

const I18nContext = createContext<I18n>({ lang: 'zh', setLang: () => {}, t: (zh) => zh });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = initial();
    setApiLanguage(l);
    return l;
  });
  const setLang = useCallback((l: Lang) => {
    setApiLanguage(l);
    document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN';
    try {
      localStorage.setItem(KEY, l);
    } catch {
      // private mode: the choice lasts for this page only
    }
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (zh, en) => (lang === 'en' ? en : zh) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = () => useContext(I18nContext);
export const useT = () => useContext(I18nContext).t;
