// The bench's caller identity: an RSA key pair made for this run only, its public half given to the
// service (mp.jwt.verify.publickey.location), and an RS256 token with the refunds:write group.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');

const ISSUER = 'cancelpay-bench';
/** The audience the service requires in production (mp.jwt.verify.audiences). */
const AUDIENCE = 'cancelpay';

function base64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Writes the public key (PEM) to publicKeyFile; answers the issuer and a token valid for validS seconds. */
function benchIdentity(publicKeyFile, validS) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  const now = Math.floor(Date.now() / 1000);
  const header = base64url({ alg: 'RS256', typ: 'JWT' });
  const claims = base64url({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'bench',
    upn: 'bench',
    groups: ['refunds:write'],
    iat: now,
    exp: now + validS,
    jti: crypto.randomUUID(),
  });
  const signature = crypto.sign('sha256', Buffer.from(`${header}.${claims}`), privateKey).toString('base64url');
  return { issuer: ISSUER, audience: AUDIENCE, token: `${header}.${claims}.${signature}` };
}

module.exports = { benchIdentity };
