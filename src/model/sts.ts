// What STS expects of and answers to a web identity: the words the checks' findings quote and their commands write,
// and the catalog's symptoms show.

/** The audience IRSA tokens carry and STS checks: an OIDC provider must list it as a client id. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** What a pod's SDK gets when STS refuses its token for the role's trust. */
export const ACCESS_DENIED = 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity';
