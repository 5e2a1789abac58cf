// A throwaway self-signed certificate for TLS tests, made with the machine's openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TestCert = { certFile: string; keyFile: string; cert: Buffer; key: Buffer };

/** A P-256 certificate for 127.0.0.1 and localhost, valid one day; undefined when openssl is not installed. */
export function makeTestCert(): TestCert | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'bleshark-tls-'));
  const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  const subject = ['-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'];
  const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', ...curve, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', ...subject],
      { stdio: 'ignore' },
    );
  } catch {
    return undefined;
  }
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}
