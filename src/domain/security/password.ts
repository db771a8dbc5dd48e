/**
 * Password rules (platform issue §4): at least 10 characters and at least three of the four classes
 * (lower-case, upper-case, digits, symbols); not containing the username. Shared by server and browser.
 */
export interface PasswordProblem {
  code: 'TOO_SHORT' | 'TOO_FEW_CLASSES' | 'CONTAINS_USERNAME' | 'TOO_LONG';
  zh: string;
  en: string;
}

export const PASSWORD_MIN_LENGTH = 10;

export function checkPassword(password: string, username?: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) {
    problems.push({
      code: 'TOO_SHORT',
      zh: `密码至少 ${PASSWORD_MIN_LENGTH} 位`,
      en: `At least ${PASSWORD_MIN_LENGTH} characters`,
    });
  }
  if (password.length > 128)
    problems.push({ code: 'TOO_LONG', zh: '密码不能超过 128 位', en: 'At most 128 characters' });
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) {
    problems.push({
      code: 'TOO_FEW_CLASSES',
      zh: '密码须包含小写字母、大写字母、数字、符号中的至少三类',
      en: 'Use at least three of: lower-case, upper-case, digits, symbols',
    });
  }
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push({
      code: 'CONTAINS_USERNAME',
      zh: '密码不能包含用户名',
      en: 'The password must not contain the username',
    });
  }
  return problems;
}
