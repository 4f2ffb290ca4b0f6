// The ChaiPort (Iamport V1) guide's refund server, "결제취소(환불) 연동하기", as the guide publishes it:
// express + mongoose + axios, one getToken and one cancel per request, the row found by merchant_uid
// and then overwritten with the PG's answer. It is the benchmark's baseline (bench/README.md), so it
// keeps the guide's logic and shortcuts on purpose: no auth, no lock, no ledger, no retry, no
// Idempotency-Key, every failure a 400. Do not use it to move money.
//
// What differs from the guide's page, and why:
// - Configuration from the same environment variables as the service (the guide hard-codes them).
// - async/await instead of the callback form of Payments.find (callbacks were removed in mongoose 7);
//   same calls, same order.
// - Listens once MongoDB is connected, so "ready" means ready.
'use strict';

const express = require('express');
const mongoose = require('mongoose');
const axios = require('axios');

const CHAIPORT_URL = required('QUARKUS_REST_CLIENT_CHAIPORT_URL').replace(/\/$/, '');
const IMP_KEY = required('CHAIPORT_IMP_KEY');
const IMP_SECRET = required('CHAIPORT_IMP_SECRET');
const MONGODB_URI = required('QUARKUS_MONGODB_CONNECTION_STRING');
const DATABASE = process.env.QUARKUS_MONGODB_DATABASE || 'cancelpay';
const PORT = Number(process.env.QUARKUS_HTTP_PORT || 8080);

// The guide's model: imp_uid (the PG's key), merchant_uid, amount (paid), cancel_amount (refunded so far).
const Payments = mongoose.model('Payments', new mongoose.Schema({
  imp_uid: String,
  merchant_uid: String,
  amount: Number,
  cancel_amount: { type: Number, default: 0 },
}), 'payments');

const app = express();
app.use(express.json());

app.post('/payments/cancel', async (req, res) => {
  try {
    /* 액세스 토큰(access token) 발급 */
    const getToken = await axios({
      url: `${CHAIPORT_URL}/users/getToken`,
      method: 'post',
      headers: { 'Content-Type': 'application/json' },
      data: { imp_key: IMP_KEY, imp_secret: IMP_SECRET },
    });
    const { access_token } = getToken.data.response;

    /* 결제정보 조회 */
    const { body } = req;
    const { merchant_uid, reason, cancel_request_amount, refund_holder, refund_bank, refund_account } = body;
    const payment = await Payments.find({ merchant_uid });
    const paymentData = payment[0];
    const { imp_uid, amount, cancel_amount } = paymentData;
    const cancelableAmount = amount - cancel_amount;
    if (cancelableAmount <= 0) {
      return res.status(400).json({ message: '이미 전액환불된 주문입니다.' });
    }

    /* 아임포트 REST API로 결제환불 요청 */
    const getCancelData = await axios({
      url: `${CHAIPORT_URL}/payments/cancel`,
      method: 'post',
      headers: { 'Content-Type': 'application/json', Authorization: access_token },
      data: {
        reason,
        imp_uid,
        amount: cancel_request_amount,
        checksum: cancelableAmount,
        refund_holder,
        refund_bank,
        refund_account,
      },
    });
    const { response } = getCancelData.data;

    /* 환불 결과 동기화 */
    const { merchant_uid: syncedUid } = response;
    const synced = await Payments.findOneAndUpdate({ merchant_uid: syncedUid }, response);
    return res.json(synced);
  } catch (error) {
    return res.status(400).send(error);
  }
});

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`missing environment variable ${name}`);
    process.exit(2);
  }
  return value;
}

mongoose.connect(MONGODB_URI, { dbName: DATABASE }).then(() => {
  app.listen(PORT, '127.0.0.1', () => console.log(`guide sample listening on 127.0.0.1:${PORT}`));
}, (error) => {
  console.error('cannot connect to MongoDB', error.message);
  process.exit(1);
});

process.on('SIGTERM', () => mongoose.disconnect().finally(() => process.exit(0)));
