// A 5-minute RS256 JWT for cancelpay, signed by the merchant's back office with its own key
// (README, "Getting a token"). Use it from the Express app that calls POST /payments/cancel:
//
//   import { cancelpayToken } from './cancelpay-token.js';
//   const token = await cancelpayToken(req.user.id);   // who in the back office asked
//   await fetch(`${CANCELPAY_URL}/payments/cancel`, {
//     method: 'POST',
//     headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json',
//                'Idempotency-Key': refundActionId },
//     body: JSON.stringify({ merchant_uid, cancel_request_amount, reason }),
//   });
import { readFileSync } from 'node:fs';
import { SignJWT, importPKCS8 } from 'jose';

// The private key stays with the back office (a secret of its own); cancelpay gets the public key.
const privateKey = await importPKCS8(
  readFileSync(process.env.CANCELPAY_JWT_PRIVATE_KEY_FILE, 'utf8'),
  'RS256',
);

export async function cancelpayToken(subject) {
  return new SignJWT({ groups: ['refunds:write'] })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(process.env.CANCELPAY_JWT_ISSUER) // = cancelpay's MP_JWT_VERIFY_ISSUER
    .setAudience('cancelpay') // = cancelpay's MP_JWT_VERIFY_AUDIENCES
    .setSubject(subject) // recorded as the refund's requested_by
    .setIssuedAt() // required by cancelpay, like exp
    .setExpirationTime('5m')
    .sign(privateKey);
}

// `node cancelpay-token.js <subject>` prints one (used by the tests, handy with curl).
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await cancelpayToken(process.argv[2] ?? 'backoffice'));
}
