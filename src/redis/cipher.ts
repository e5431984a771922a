// What the token store writes to Redis can be sealed by a cipher the application keys, so that
// neither the stored value nor any command that carries it (MONITOR, SLOWLOG, a replica's
// stream, an RDB file) shows the pair. Web Crypto only: this entry uses no Node-only API.

/**
 * Seals and opens what `redisTokenStore` stores. `context` is the Redis key of the session: a
 * sealed pair opens only under the key it was written for, so it cannot be moved to another
 * user's key. `open` rejects when the value was not sealed by this cipher (another key,
 * altered, another session key); the store then fails with `TokenDecryptError` and sends nothing.
 */
export interface TokenCipher {
  /** `plaintext` sealed as text Redis can store, bound to `context`. */
  seal(plaintext: string, context: string): Promise<string>;
  /** The plaintext of `sealed`; rejects when it was not sealed by this cipher for `context`. */
  open(sealed: string, context: string): Promise<string>;
}

/** Options of {@link aesGcmTokenCipher}. */
export interface AesGcmTokenCipherOptions {
  /**
   * The keys by id: 32 random bytes each (AES-256), or an AES-GCM `CryptoKey`. Ids are 1-64 of
   * `A-Z a-z 0-9 _ -`. Keep an old key here after rotating so that pairs sealed with it still open.
   * @example aesGcmTokenCipher({ keys: { k2: newKey, k1: oldKey }, current: 'k2' })
   */
  keys: Record<string, Uint8Array | ArrayBuffer | CryptoKey>;
  /**
   * The id of the key that seals new values (one of `keys`); older keys only open.
   * @example 'k2'
   */
  current: string;
}

const PREFIX = 'cvt1';
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const text = new TextEncoder();

/** A secret Web Crypto key for AES-GCM, allowed to encrypt and decrypt. */
const isAesGcmKey = (key: unknown): key is CryptoKey => {
  const k = key as Partial<CryptoKey> | null;
  return typeof k === 'object' && k !== null && k.type === 'secret' && k.algorithm?.name === 'AES-GCM' && Array.isArray(k.usages) && k.usages.includes('encrypt') && k.usages.includes('decrypt');
};

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (value: string) => Uint8Array.from(atob(value), (c) => c.charCodeAt(0));

/**
 * A {@link TokenCipher}: AES-256-GCM with a random 96-bit nonce per write. The stored value is
 * `cvt1.<key id>.<nonce>.<ciphertext and tag>`; the key id, the format and the session key are
 * authenticated with it. Rotate by adding a key and making it `current`: values sealed with an
 * older key still open while that key is listed, and are sealed with the new one at the next refresh.
 * @example
 * const cipher = aesGcmTokenCipher({ keys: { k1: Buffer.from(process.env.SESSION_KEY!, 'base64') }, current: 'k1' });
 * redisTokenStore(redis, { key: 'coveton:session:usr_8f2a', cipher });
 */
export function aesGcmTokenCipher(options: AesGcmTokenCipherOptions): TokenCipher {
  const entries = Object.entries(options?.keys ?? {});
  if (entries.length === 0) throw new TypeError('aesGcmTokenCipher: `keys` must name at least one key');
  for (const [id, key] of entries) {
    if (!KEY_ID.test(id)) throw new TypeError(`aesGcmTokenCipher: key id ${JSON.stringify(id)} must be 1-64 of A-Z a-z 0-9 _ -`);
    if (key instanceof ArrayBuffer || key instanceof Uint8Array) {
      if (key.byteLength !== 32) throw new TypeError(`aesGcmTokenCipher: key ${id} must be 32 bytes (AES-256), not ${key.byteLength}`);
    } else if (!isAesGcmKey(key)) {
      // Checked now: a key that fails only at the first seal would fail a refresh after the
      // old refresh token was spent, and sign the whole fleet out.
      throw new TypeError(`aesGcmTokenCipher: key ${id} must be 32 bytes (a Uint8Array or ArrayBuffer) or an AES-GCM CryptoKey that may encrypt and decrypt`);
    }
  }
  if (!entries.some(([id]) => id === options.current)) throw new TypeError('aesGcmTokenCipher: `current` must be the id of one of `keys`');
  // The key bytes are copied now (the caller may wipe theirs) and imported on first use.
  const given = new Map(entries.map(([id, key]) => [id, key instanceof ArrayBuffer || key instanceof Uint8Array ? Uint8Array.from(new Uint8Array(key)) : key]));
  const current = options.current;
  const imported = new Map<string, Promise<CryptoKey>>();
  const keyFor = (id: string): Promise<CryptoKey> | undefined => {
    const material = given.get(id);
    if (!material) return undefined;
    let key = imported.get(id);
    if (!key) {
      key = material instanceof Uint8Array ? crypto.subtle.importKey('raw', material, 'AES-GCM', false, ['encrypt', 'decrypt']) : Promise.resolve(material);
      imported.set(id, key);
    }
    return key;
  };
  const aad = (id: string, context: string) => text.encode(`${PREFIX}.${id}.${context}`);

  return {
    async seal(plaintext, context) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const key = await keyFor(current)!;
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(current, context) }, key, text.encode(plaintext));
      return `${PREFIX}.${current}.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
    },
    async open(sealed, context) {
      const [prefix, id, iv, body, ...rest] = sealed.split('.');
      if (prefix !== PREFIX || !id || !iv || !body || rest.length > 0) throw new TypeError('not a value this cipher sealed');
      const key = keyFor(id);
      if (!key) throw new TypeError(`no key with the id the value was sealed with (${JSON.stringify(id)})`);
      const opened = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv), additionalData: aad(id, context) }, await key, fromBase64(body));
      return new TextDecoder('utf-8', { fatal: true }).decode(opened);
    },
  };
}
