import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips a secret without storing it in clear', () => {
    const sealed = box.encrypt('live_key_abc123');
    expect(sealed).not.toContain('live_key_abc123');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.decrypt(sealed)).toBe('live_key_abc123');
  });

  it('uses a fresh IV each time, so equal secrets do not look equal', () => {
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('refuses a ciphertext that was tampered with', () => {
    const [v, iv, tag, ct] = box.encrypt('secret-value').split('.');
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.decrypt([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
  });

  it('refuses to decrypt with another key', () => {
    const sealed = box.encrypt('secret-value');
    expect(() => new SecretBox(randomBytes(32)).decrypt(sealed)).toThrow();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('32-byte');
  });
});
