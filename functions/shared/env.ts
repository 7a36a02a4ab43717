/** A required environment variable of a Lambda function; a missing one fails the cold start with its name. */
export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}
