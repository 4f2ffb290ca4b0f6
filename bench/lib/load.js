// The load: autocannon, each connection sending one request at a time (closed model), every request
// a small partial refund (POST /payments/cancel) of an order that no other request in flight is
// refunding, with an Idempotency-Key of its own (as the service's README asks callers to send).
'use strict';

const autocannon = require('autocannon');
const { randomUUID } = require('node:crypto');
const { performance } = require('node:perf_hooks');

/**
 * Orders not in flight, first in first out: a request takes the oldest free order and gives it back
 * when its answer arrives, so the load walks through all N orders evenly and two requests in flight
 * never touch the same order (which would be a 409 REFUND_IN_PROGRESS at the service and a checksum
 * refusal at the sample: a measurement of the generator, not of the servers).
 */
class FreeOrders {
  constructor(count) {
    this.ring = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      this.ring[i] = i;
    }
    this.head = 0;
    this.size = count;
  }

  take() {
    if (this.size === 0) {
      throw new Error('no free order: more connections than orders');
    }
    const order = this.ring[this.head];
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    return order;
  }

  giveBack(order) {
    this.ring[(this.head + this.size) % this.ring.length] = order;
    this.size++;
  }
}

/**
 * Runs one phase. {durationS} or {amount} (requests in all) bounds it. Resolves with autocannon's
 * result plus elapsedS, the phase's wall time.
 */
function drive({ url, token, connections, orders, refundAmount, durationS, amount }) {
  if (orders < connections) {
    throw new Error(`${orders} orders cannot keep ${connections} connections on distinct orders`);
  }
  const free = new FreeOrders(orders);
  const options = {
    url,
    connections,
    pipelining: 1,
    timeout: 30,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    },
    requests: [{
      method: 'POST',
      path: '/payments/cancel',
      // context is the connection's; onResponse below sees what setupRequest put in it for this request.
      setupRequest: (req, context) => {
        const order = free.take();
        context.order = order;
        return {
          ...req,
          headers: { ...req.headers, 'idempotency-key': randomUUID() },
          body: JSON.stringify({ merchant_uid: `bench-${order}`, cancel_request_amount: refundAmount, reason: 'bench' }),
        };
      },
      onResponse: (status, body, context) => {
        free.giveBack(context.order);
      },
    }],
  };
  if (amount) {
    options.amount = amount;
  } else {
    options.duration = durationS;
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => {
      if (error) {
        reject(error);
        return;
      }
      resolve({ ...result, elapsedS: (performance.now() - started) / 1000 });
    });
  });
}

module.exports = { drive, FreeOrders };
