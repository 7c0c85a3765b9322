/**
 * The `token68` of `Authorization: Basic …` (RFC 7617 §2, with the UTF-8 charset of §2.1): the
 * user-id and password, each in Unicode normalization form C (the NFC rule of the RFC 7613
 * profiles §2.1 names), joined by `:`, encoded as UTF-8 and then Base64. The caller checks the
 * user-id holds no `:` and neither part a control character (§2).
 *
 * @example
 * ```ts
 * encodeBasicCredentials('Aladdin', 'open sesame'); // 'QWxhZGRpbjpvcGVuIHNlc2FtZQ=='
 * encodeBasicCredentials('test', '123£'); // 'dGVzdDoxMjPCow==' (RFC 7617 §2.1)
 * ```
 */
export function encodeBasicCredentials(username: string, password: string): string {
  return Buffer.from(`${username.normalize('NFC')}:${password.normalize('NFC')}`, 'utf8').toString(
    'base64',
  );
}
