/**
 * The operator's sign-in rules, shared by password and provider sign-in: whether password
 * sign-in is on (AUTH_PASSWORD_ENABLED) and which e-mail domains may sign in or sign up
 * (AUTH_EMAIL_DOMAINS). Checked when someone signs in, signs up or is invited; sessions
 * already open are not ended when the rules change.
 */
import { ssoErrors } from "../sso/errors";

export interface SignInPolicy {
  passwordEnabled: boolean;
  /** Lower-cased domains; empty = any. */
  emailDomains: string[];
}

export const emailDomainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

export function isEmailAllowed(policy: SignInPolicy, email: string): boolean {
  return policy.emailDomains.length === 0 || policy.emailDomains.includes(emailDomainOf(email));
}

export function assertEmailAllowed(policy: SignInPolicy, email: string): void {
  if (!isEmailAllowed(policy, email)) throw ssoErrors.domainNotAllowed(email, policy.emailDomains);
}

export function assertPasswordEnabled(policy: SignInPolicy): void {
  if (!policy.passwordEnabled) throw ssoErrors.passwordDisabled();
}
