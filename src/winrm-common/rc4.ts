// RC4 (the stream cipher NTLM seals with, MS-NLMP 3.4.3 and 3.1.5.1.2). Node's OpenSSL 3 no longer
// offers it (createCipheriv('rc4') fails: "unsupported"), so the key schedule and keystream are here.

/** Why: one RC4 handle per direction keeps its state across messages, as MS-NLMP 3.4 requires. */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Buffer) {
    if (key.length === 0) throw new Error('RC4 key is empty');
    for (let k = 0; k < 256; k++) this.s[k] = k;
    let j = 0;
    for (let k = 0; k < 256; k++) {
      j = (j + (this.s[k] as number) + (key[k % key.length] as number)) & 0xff;
      this.swap(k, j);
    }
  }

  /** Why: encrypts or decrypts (the same operation), advancing the keystream. */
  update(data: Buffer): Buffer {
    const out = Buffer.allocUnsafe(data.length);
    for (let n = 0; n < data.length; n++) {
      this.i = (this.i + 1) & 0xff;
      this.j = (this.j + (this.s[this.i] as number)) & 0xff;
      this.swap(this.i, this.j);
      const k = this.s[((this.s[this.i] as number) + (this.s[this.j] as number)) & 0xff] as number;
      out[n] = (data[n] as number) ^ k;
    }
    return out;
  }

  private swap(a: number, b: number): void {
    const t = this.s[a] as number;
    this.s[a] = this.s[b] as number;
    this.s[b] = t;
  }
}

/** Why: the one-shot RC4 of a session key (EncryptedRandomSessionKey, MS-NLMP 3.1.5.1.2). */
export function rc4Once(key: Buffer, data: Buffer): Buffer {
  return new Rc4(key).update(data);
}
