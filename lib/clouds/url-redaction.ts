/**
 * A URL safe to show in a validation message: without its query string, fragment and user info, which in a
 * pre-signed URL (S3, OSS, JD OSS) carry the access key id and the signature. Text that is not a URL with a host is
 * cut the same way, as text. Pure: every cloud's rules use it.
 *
 * @param url the URL as the user gave it
 */
export function redactUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.host) {
    const hidden = parsed.search || parsed.username || parsed.password ? ' (query and user info hidden)' : '';
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${hidden}`;
  }
  // Not a URL with a host (`admin:pw@host/x` parses as the scheme `admin:` and an opaque path): cut, as text, what
  // would be its query and fragment, and the user info before the host (with or without a scheme).
  return url.replace(/[?#].*$/s, ' (query hidden)').replace(/^([a-z][a-z0-9+.-]*:\/*)?[^/@]*@/i, '$1');
}
