// The refund page: looks an order up (GET payments/{merchant_uid}), refunds it (POST payments/cancel)
// and follows a refund whose outcome is not known yet (its Location) until it settles. Talks to this
// origin only (the Content-Security-Policy allows nothing else). No framework, no build step.
'use strict';

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = 'cancelpay.token';
// Retries of one click (same Idempotency-Key): a request whose answer never arrived, or the service
// telling us the first attempt with this key is still running.
const MAX_ATTEMPTS = 3;
const POLL_DELAYS_MS = [1000, 2000, 3000, 5000];

// ../shared/reference/chaiport-v1.md, "Bank codes for refund_bank": the KFTC code, from which each
// PG's form follows (KG Inicis drops the leading zero, KCP prefixes BK to that).
const BANKS = [
  ['KB국민', '004'], ['기업(IBK)', '003'], ['농협', '011'], ['신한', '088'], ['우리', '020'],
  ['하나', '081'], ['SC제일', '023'], ['씨티', '027'], ['우체국', '071'], ['카카오뱅크', '090'],
  ['케이뱅크', '089'], ['토스뱅크', '092'], ['부산', '032'], ['대구', '031'], ['광주', '034'],
  ['경남', '039'], ['전북', '037'], ['수협', '007'], ['산업', '002'], ['새마을금고', '045'], ['신협', '048'],
];
const BANK_CODE = {
  inicis: (kftc) => kftc.slice(1),
  kcp: (kftc) => 'BK' + kftc.slice(1),
  kftc: (kftc) => kftc,
};

const STATES = {
  PENDING: '처리 중 (pending)',
  UNKNOWN: '확인 중 (unknown)',
  SUCCEEDED: '완료 (succeeded)',
  FAILED: '실패 (failed)',
};

let current = null; // the order on the page: {merchantUid, payment}
let inFlight = false;

function won(amount) {
  return amount === null || amount === undefined
    ? '—'
    : new Intl.NumberFormat('ko-KR').format(amount) + '원';
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString('ko-KR') : '—';
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A v4 UUID; crypto.randomUUID needs a secure context (https or localhost), getRandomValues not. */
function newIdempotencyKey() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A URL of this service, relative to the page (so it also works behind a path prefix). */
function serviceUrl(path) {
  return new URL(path, document.baseURI);
}

function paymentUrl(merchantUid) {
  return serviceUrl('payments/' + encodeURIComponent(merchantUid));
}

/** One call to the service, with the bearer token when there is one; the body parsed when JSON. */
async function api(url, init = {}) {
  const headers = new Headers(init.headers);
  const token = $('token').value.trim();
  if (token) {
    headers.set('Authorization', 'Bearer ' + token);
  }
  headers.set('Accept', 'application/json, application/problem+json');
  const response = await fetch(url, { ...init, headers, cache: 'no-store', credentials: 'omit' });
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : null;
  return { response, body };
}

function problemText(body, response) {
  if (body && body.detail) {
    return body.detail;
  }
  return `HTTP ${response.status}`;
}

// ---- the order -------------------------------------------------------------------------------

async function lookUp(merchantUid) {
  $('lookup-problem').hidden = true;
  let result;
  try {
    result = await api(paymentUrl(merchantUid));
  } catch (unreachable) {
    showLookupProblem('서비스에 연결할 수 없습니다. (The service cannot be reached.)');
    return;
  }
  const { response, body } = result;
  if (!response.ok) {
    showLookupProblem(problemText(body, response));
    return;
  }
  const sameOrder = current && current.merchantUid === merchantUid;
  current = { merchantUid, payment: body.payment };
  renderPayment(body.payment);
  renderRefunds(body.refunds || []);
  $('payment').hidden = false;
  $('refund-section').hidden = false;
  if (!sameOrder) {
    $('outcome').hidden = true;
  }
}

function showLookupProblem(text) {
  current = null;
  $('payment').hidden = true;
  $('refund-section').hidden = true;
  $('lookup-problem').textContent = text;
  $('lookup-problem').hidden = false;
}

function renderPayment(payment) {
  $('paid-amount').textContent = won(payment.paid_amount);
  $('cancel-amount').textContent = won(payment.cancel_amount);
  $('cancelable-amount').textContent = won(payment.cancelable_amount);
  $('payment-status').textContent = payment.status || '—';
  $('pay-method').textContent = payment.pay_method || '—';
  $('amount-hint').textContent = `최대 ${won(payment.cancelable_amount)} (at most the cancelable amount)`;
  const vbank = payment.pay_method === 'vbank';
  $('account-fields').hidden = !vbank;
  for (const id of ['refund-holder', 'refund-bank', 'refund-account']) {
    $(id).required = vbank;
  }
}

function renderRefunds(refunds) {
  const rows = refunds.map((refund) => {
    const row = document.createElement('tr');
    row.dataset.refundId = refund.refund_id;
    row.dataset.status = refund.status;
    const receipt = refund.cancellation && refund.cancellation.receipt_url;
    // A cancel made at ChaiPort itself (its console, another system), found in its history.
    const reason = refund.source === 'chaiport'
      ? [refund.reason, 'ChaiPort에서 직접 (made at ChaiPort)'].filter(Boolean).join(' · ')
      : refund.reason || '';
    for (const text of [when(refund.created_at), won(refund.amount), STATES[refund.status] || refund.status, reason]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    const cell = document.createElement('td');
    if (receipt) {
      cell.append(receiptLink(receipt));
    }
    row.append(cell);
    return row;
  });
  $('refund-rows').replaceChildren(...rows);
}

function receiptLink(url) {
  const link = document.createElement('a');
  link.textContent = '영수증';
  link.rel = 'noopener noreferrer';
  link.target = '_blank';
  link.href = safeLink(url);
  return link;
}

/** Only http(s) links: a receipt URL is ChaiPort's data, never a javascript: URL. */
function safeLink(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : '#';
  } catch (malformed) {
    return '#';
  }
}

// ---- the refund ------------------------------------------------------------------------------

function refundRequest() {
  const request = { merchant_uid: current.merchantUid, reason: $('reason').value.trim() };
  if ($('scope-partial').checked) {
    request.cancel_request_amount = Number($('amount').value);
  }
  if (!$('account-fields').hidden) {
    request.refund_holder = $('refund-holder').value.trim();
    request.refund_bank = $('refund-bank').value;
    request.refund_account = $('refund-account').value.replace(/[\s-]/g, '');
  }
  return request;
}

/**
 * POST payments/cancel with this click's key. A lost answer is retried with the same key, so the
 * service answers it instead of refunding again; so are 409 IDEMPOTENCY_KEY_IN_USE (the first
 * attempt is still running) and a 5xx (the service or a proxy failed; the key is kept by the
 * service for exactly this).
 */
async function sendRefund(body, key) {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await api(serviceUrl('payments/cancel'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body,
      });
      if (outcomeKnown(result) || attempt === MAX_ATTEMPTS) {
        return result;
      }
      const seconds = Number(result.response.headers.get('Retry-After')) || attempt;
      await wait(Math.min(seconds, 10) * 1000);
    } catch (lost) {
      if (attempt === MAX_ATTEMPTS) {
        throw lost;
      }
      await wait(1000 * attempt);
    }
  }
}

/** Whether an answer says what became of the request: done, pending, or refused for good. */
function outcomeKnown({ response, body }) {
  const inUse = response.status === 409 && body && body.code === 'IDEMPOTENCY_KEY_IN_USE';
  return response.status < 500 && !inUse;
}

/**
 * The request whose outcome the page could not learn (no answer, or still a 5xx or "in use" after
 * its retries), with its key. Pressing 환불하기 again with the same values sends that same key, so
 * the service answers the first request (its stored answer or its refund's state) instead of
 * refunding again; changed values are a new request.
 */
let unanswered = null;

async function refund() {
  const request = refundRequest();
  const body = JSON.stringify(request);
  const key = unanswered && unanswered.body === body ? unanswered.key : newIdempotencyKey();
  unanswered = { body, key };
  showOutcome('sending', '환불 요청 중… (Sending)', '');
  let result;
  try {
    result = await sendRefund(body, key);
  } catch (lost) {
    result = null;
  }
  if (!result || !outcomeKnown(result)) {
    showOutcome('problem', '응답을 받지 못했습니다 (No answer)',
      '환불이 처리되었는지 아래 주문 정보를 확인하세요. 같은 내용으로 다시 누르면 새 환불이 아니라 이 요청의 결과를 묻습니다.' +
      ' (Check the order below. Pressing Refund again with the same values asks for this request\'s outcome; it does not refund again.)');
    await lookUp(request.merchant_uid);
    return;
  }
  unanswered = null;
  const { response, body: answer } = result;
  if (response.status === 200) {
    showSettled(answer);
  } else if (response.status === 202) {
    await followPending(response, answer);
  } else {
    showProblem(answer, response);
  }
  await lookUp(request.merchant_uid);
}

/** Polls the refund (its Location, when it is on this origin) until it is SUCCEEDED or FAILED. */
async function followPending(response, body) {
  const refundId = body.refund.refund_id;
  const location = response.headers.get('Location');
  let url = location ? new URL(location, document.baseURI) : null;
  if (!url || url.origin !== window.location.origin) {
    url = serviceUrl(`payments/${encodeURIComponent(body.refund.merchant_uid)}/refunds/${encodeURIComponent(refundId)}`);
  }
  showPending(body);
  for (let poll = 0; ; poll++) {
    await wait(POLL_DELAYS_MS[Math.min(poll, POLL_DELAYS_MS.length - 1)]);
    let result;
    try {
      result = await api(url);
    } catch (unreachable) {
      continue;
    }
    if (!result.response.ok) {
      continue;
    }
    const status = result.body.refund.status;
    if (status === 'SUCCEEDED' || status === 'FAILED') {
      showSettled(result.body);
      return;
    }
    showPending(result.body);
  }
}

function showPending(answer) {
  showOutcome('pending', '환불 처리 중 (Refund pending)',
    `${won(answer.refund.amount)} 환불 요청을 PG사에 보냈고 결과를 확인하고 있습니다. 다시 요청하지 마세요.` +
    ' (Sent to the PG; waiting for its outcome. Do not send it again.)');
}

function showSettled(answer) {
  const { refund: settled, payment } = answer;
  if (current && payment) {
    renderPayment(payment);
  }
  if (settled.status === 'FAILED') {
    const failure = settled.failure || {};
    showOutcome('failed', '환불되지 않았습니다 (Not refunded)',
      [failure.pg_message, failure.code].filter(Boolean).join(' · ') || settled.status);
    return;
  }
  showOutcome('success', '환불되었습니다 (Refunded)',
    `${won(settled.amount)} 환불 · 환불된 금액 ${won(payment.cancel_amount)} · 환불 가능 금액 ${won(payment.cancelable_amount)}` +
    ` (refunded ${won(settled.amount)}; refunded in total ${won(payment.cancel_amount)};` +
    ` still cancelable ${won(payment.cancelable_amount)})`);
  const receipt = settled.cancellation && settled.cancellation.receipt_url;
  if (receipt) {
    $('receipt-link').href = safeLink(receipt);
    $('outcome-receipt').hidden = false;
  }
}

function showProblem(body, response) {
  showOutcome('problem', body && body.title ? `${body.title} (${body.code})` : `HTTP ${response.status}`,
    problemText(body, response));
  const errors = (body && body.errors) || [];
  $('outcome-errors').replaceChildren(...errors.map((error) => {
    const item = document.createElement('li');
    item.textContent = `${error.field}: ${error.message}`;
    return item;
  }));
}

function showOutcome(state, title, detail) {
  const outcome = $('outcome');
  outcome.dataset.state = state;
  outcome.hidden = false;
  $('outcome-title').textContent = title;
  $('outcome-detail').textContent = detail;
  $('outcome-errors').replaceChildren();
  $('outcome-receipt').hidden = true;
}

// ---- set-up ----------------------------------------------------------------------------------

function fillBanks() {
  const toCode = BANK_CODE[$('bank-code-system').value];
  const chosen = $('refund-bank').selectedIndex;
  $('refund-bank').replaceChildren(...BANKS.map(([name, kftc]) => {
    const code = toCode(kftc);
    return new Option(`${name} (${code})`, code);
  }));
  $('refund-bank').selectedIndex = Math.max(chosen, 0);
}

/** Dev mode only (404 elsewhere): the dev token and the seeded sample orders. */
async function devConveniences() {
  if (!$('token').value) {
    const token = await fetch(serviceUrl('dev/token'), { cache: 'no-store' }).catch(() => null);
    if (token && token.ok) {
      $('token').value = (await token.text()).trim();
      sessionStorage.setItem(TOKEN_KEY, $('token').value);
    }
  }
  const samples = await fetch(serviceUrl('dev/sample-orders'), { cache: 'no-store' }).catch(() => null);
  if (!samples || !samples.ok) {
    return;
  }
  $('sample-list').replaceChildren(...(await samples.json()).map((sample) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sample';
    button.dataset.merchantUid = sample.merchant_uid;
    button.textContent = `${sample.merchant_uid} · ${sample.pay_method} · ${won(sample.amount)}`;
    button.addEventListener('click', () => {
      $('merchant-uid').value = sample.merchant_uid;
      lookUp(sample.merchant_uid);
    });
    item.append(button);
    return item;
  }));
  $('samples').hidden = false;
}

document.addEventListener('DOMContentLoaded', () => {
  $('token').value = sessionStorage.getItem(TOKEN_KEY) || '';
  $('token').addEventListener('change', () => sessionStorage.setItem(TOKEN_KEY, $('token').value.trim()));
  fillBanks();
  $('bank-code-system').addEventListener('change', fillBanks);
  for (const radio of document.querySelectorAll('input[name="scope"]')) {
    radio.addEventListener('change', () => {
      const partial = $('scope-partial').checked;
      $('amount-field').hidden = !partial;
      $('amount').required = partial;
    });
  }
  $('lookup-form').addEventListener('submit', (event) => {
    event.preventDefault();
    lookUp($('merchant-uid').value.trim());
  });
  $('refund-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    // One click, one refund: the button is disabled (and further submits ignored) until it settles.
    if (inFlight || !current) {
      return;
    }
    inFlight = true;
    $('refund-button').disabled = true;
    try {
      await refund();
    } finally {
      inFlight = false;
      $('refund-button').disabled = false;
    }
  });
  devConveniences();
  document.body.dataset.ready = 'true';
});
