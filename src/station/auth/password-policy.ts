/** The station's password rule (issue 11), in the words the operator reads. */
export function passwordProblem(password: string, login: string): string | null {
  if (password.length < 8) return '密码至少 8 位';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字';
  if (password.toLowerCase() === login.toLowerCase()) return '密码不能与工号相同';
  return null;
}
