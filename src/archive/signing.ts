// The publisher's Ed25519 key (node:crypto). The private key stays with the publisher,
// outside the project (ARCHIVE_SIGNING_KEY names its PEM file); the public key is
// registered in the archive's log by `npm run archive-key`, and from that line on
// every line of the log carries a signature of its hash. A new key is registered
// with a line signed by the old one, so only the holder of the current key can
// extend the record.

import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { error, type Finding } from '../errors.ts';
import type { LogEntry } from './log.ts';

export const SIGNING_KEY_ENV = 'ARCHIVE_SIGNING_KEY';

/** The public key of a private key, as the log records it (SPKI DER, base64). */
export function publicKeyText(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** Reads an Ed25519 private key from a PEM file; null with a reason when it is not one. */
export async function readSigningKey(path: string): Promise<{ key: KeyObject } | { problem: string }> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch {
    return { problem: `读不到签名私钥文件 ${path}` };
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') return { problem: `${path} 不是 Ed25519 私钥（是 ${key.asymmetricKeyType}）` };
    return { key };
  } catch {
    return { problem: `${path} 不是 PEM 格式的私钥` };
  }
}

/** A new key pair; the private key is written to `path` (never overwriting, readable by its owner only). */
export async function createSigningKey(path: string): Promise<KeyObject> {
  const { privateKey } = generateKeyPairSync('ed25519');
  await writeFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
  return privateKey;
}

/** The signature of an entry: Ed25519 over its hash, base64. */
export function signEntry(hash: string, key: KeyObject): string {
  return sign(null, Buffer.from(hash, 'utf8'), key).toString('base64');
}

/** The key each line must be signed with: the one registered last before it (none before the first). */
export function checkSignatures(entries: readonly LogEntry[], file: string): Finding[] {
  const findings: Finding[] = [];
  let current: KeyObject | null = null;
  entries.forEach((e, i) => {
    const at = { file, line: i + 1, col: 1 };
    if (current) {
      const ok = e.signature !== undefined && verify(null, Buffer.from(e.hash, 'utf8'), current, Buffer.from(e.signature, 'base64'));
      if (!ok) {
        findings.push(
          error(
            '存档',
            'archive-signature',
            `存档记录第 ${i + 1} 行${e.signature ? '的签名与发布者登记的公钥不符' : '没有签名'}：登记签名公钥之后的每一行都必须由发布者的私钥签名。这一行不是发布者写的，或在写入后被改动过；请从版本库恢复（git checkout -- ${file}）`,
            at,
            e.signature ? 'signature does not verify' : 'unsigned line after a key was registered',
          ),
        );
      }
    }
    if (e.kind === 'key') {
      try {
        current = createPublicKey({ key: Buffer.from(e.publicKey, 'base64'), format: 'der', type: 'spki' });
        if (current.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
      } catch {
        findings.push(
          error('存档', 'archive-signature', `存档记录第 ${i + 1} 行登记的公钥不是 Ed25519 公钥`, at, 'registered key is not an Ed25519 public key'),
        );
      }
    }
  });
  return findings;
}

/** The public key registered last, as the log records it, or null. */
export function registeredKey(entries: readonly LogEntry[]): string | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.kind === 'key') return e.publicKey;
  }
  return null;
}
