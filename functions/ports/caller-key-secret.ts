/**
 * The secret the caller key (重复诉求合并) is an HMAC under: the same caller's tickets get the same key, and nobody
 * without the secret can test a phone number against it (Secrets Manager in AWS, environment locally).
 */
export interface CallerKeySecret {
  secret(): Promise<string>;
}
