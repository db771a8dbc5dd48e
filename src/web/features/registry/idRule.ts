import { todayCst } from '../../../domain/calendar';
import { ID_PROBLEM_MESSAGES, parseIdNumber } from '../../../domain/identity/id-number';

/** The server's GB 11643 check, run in the browser as an antd validator. */
export function idNumberRule(lang: 'zh' | 'en') {
  return {
    validator: async (_r: unknown, value: string | undefined) => {
      if (!value || !value.trim()) return;
      const r = parseIdNumber(value, todayCst());
      if (!r.ok) throw new Error(ID_PROBLEM_MESSAGES[r.problem][lang]);
    },
  };
}
