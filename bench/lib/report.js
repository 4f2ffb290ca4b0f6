// Figures of one run, ratios, the targets, and the results section of bench/README.md.
'use strict';

const fs = require('node:fs');
const os = require('node:os');

const NPROC = os.cpus().length;

const round = (value, digits = 1) => (value === null || value === undefined || Number.isNaN(value)
  ? null : Number(value.toFixed(digits)));

/**
 * One target process over the measured phase. "Per refund" divides by the cancels the sandbox
 * executed in the phase (the PG's own count), which also covers requests the load generator gave up
 * on when the phase ended but the server finished.
 */
function figures({ result, before, after, readyMs, peakRssMiB, latencyMs, load }) {
  const delta = (key) => after.counts[key] - before.counts[key];
  const executed = delta('executed_cancels');
  const pgCalls = { get_token: delta('get_token'), cancel: delta('cancel'), get_payment: delta('get_payment') };
  const pgTotal = pgCalls.get_token + pgCalls.cancel + pgCalls.get_payment;
  const perRefundMs = (seconds) => (executed > 0 ? round((1000 * seconds) / executed, 3) : null);
  const latency = { p50: result.latency.p50, p99: result.latency.p99, p99_9: result.latency.p99_9,
    mean: result.latency.mean, max: result.latency.max };
  return {
    duration_s: round(result.elapsedS, 2),
    requests: result.requests.total,
    ok: result['2xx'],
    non_2xx: result.non2xx,
    status_codes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
    errors: result.errors + result.timeouts,
    throughput_rps: round(result['2xx'] / result.elapsedS, 1),
    latency_ms: latency,
    overhead_ms: { p50: round(latency.p50 - latencyMs), p99: round(latency.p99 - latencyMs), p99_9: round(latency.p99_9 - latencyMs) },
    executed_cancels: executed,
    pg_calls: pgCalls,
    pg_calls_per_refund: executed > 0 ? round(pgTotal / executed, 2) : null,
    cpu_ms_per_refund: perRefundMs(after.cpu - before.cpu),
    store_cpu_ms_per_refund: perRefundMs(after.store_cpu - before.store_cpu),
    sandbox_cpu_ms_per_refund: perRefundMs(after.sandbox_cpu - before.sandbox_cpu),
    peak_rss_mib: round(peakRssMiB),
    ready_ms: Math.round(readyMs),
    load_average_1m: load,
    // Busy CPU of the whole machine in the phase minus what the server, the store, the sandbox and the
    // load generator used: other work sharing the machine (0 on a machine left to the benchmark).
    other_processes_cpu_share: round(((after.machine_busy - before.machine_busy)
      - (after.cpu - before.cpu) - (after.store_cpu - before.store_cpu) - (after.sandbox_cpu - before.sandbox_cpu)
      - (after.load_generator_cpu - before.load_generator_cpu)) / ((after.at - before.at) / 1000) / NPROC, 2),
  };
}

function ratio(a, b, digits = 2) {
  return a === null || b === null || b === 0 ? null : round(a / b, digits);
}

/** service ÷ sample. */
function ratios(service, sample) {
  return {
    throughput: ratio(service.throughput_rps, sample.throughput_rps),
    latency_p50: ratio(service.latency_ms.p50, sample.latency_ms.p50),
    latency_p99: ratio(service.latency_ms.p99, sample.latency_ms.p99),
    latency_p99_9: ratio(service.latency_ms.p99_9, sample.latency_ms.p99_9),
    cpu_per_refund: ratio(service.cpu_ms_per_refund, sample.cpu_ms_per_refund),
    pg_calls_per_refund: ratio(service.pg_calls_per_refund, sample.pg_calls_per_refund),
    peak_rss: ratio(service.peak_rss_mib, sample.peak_rss_mib),
    ready: ratio(service.ready_ms, sample.ready_ms),
  };
}

const at = (run) => `${run.orders} orders, PG ${run.pg_latency_ms} ms, c${run.concurrency}`;

/** The targets (#8), each met or missed with the figures that decide it. */
function targets(results) {
  const { runs } = results;
  const list = [];
  const check = (name, rule, failures, detail) => list.push({ name, rule, met: failures.length === 0, detail, missed_at: failures });

  const pgService = runs.filter((r) => r.service.pg_calls_per_refund !== 1);
  const pgSample = runs.filter((r) => r.sample.pg_calls_per_refund !== 2);
  check('pg_calls', 'PG calls per successful refund: service 1.00, sample 2.00',
    [...pgService.map((r) => `${at(r)}: service ${r.service.pg_calls_per_refund}`),
      ...pgSample.map((r) => `${at(r)}: sample ${r.sample.pg_calls_per_refund}`)],
    `service ${span(runs.map((r) => r.service.pg_calls_per_refund))}, sample ${span(runs.map((r) => r.sample.pg_calls_per_refund))}`);

  const throughputMisses = runs.filter((r) => r.ratios.throughput === null
    || r.ratios.throughput < (r.concurrency === 16 && r.pg_latency_ms === 100 ? 2 : 1));
  check('throughput', 'service ÷ sample ≥ 2 at c16 with PG 100 ms, ≥ 1 everywhere else',
    throughputMisses.map((r) => `${at(r)}: ${r.ratios.throughput}× (needs ${r.concurrency === 16 && r.pg_latency_ms === 100 ? 2 : 1})`),
    `ratios ${span(runs.map((r) => r.ratios.throughput))}`);

  const cpuMisses = runs.filter((r) => r.ratios.cpu_per_refund === null || r.ratios.cpu_per_refund > 1);
  check('cpu_per_refund', 'service CPU per refund ≤ the sample\'s (after warm-up)',
    cpuMisses.map((r) => `${at(r)}: ${r.service.cpu_ms_per_refund} vs ${r.sample.cpu_ms_per_refund} ms (${r.ratios.cpu_per_refund}×)`),
    `ratios ${span(runs.map((r) => r.ratios.cpu_per_refund))}`);

  const seeds = [...new Set(runs.map((r) => r.orders))].sort((a, b) => a - b);
  if (seeds.length > 1) {
    const small = seeds[0];
    const large = seeds[seeds.length - 1];
    const pairs = runs.filter((r) => r.orders === large).map((r) => {
      const base = runs.find((b) => b.orders === small && b.pg_latency_ms === r.pg_latency_ms && b.concurrency === r.concurrency);
      return { run: r, scale: base ? ratio(r.service.throughput_rps, base.service.throughput_rps) : null };
    });
    check('scale', `service throughput with ${large} orders ≥ 0.9 × with ${small}`,
      pairs.filter((p) => p.scale === null || p.scale < 0.9).map((p) => `PG ${p.run.pg_latency_ms} ms, c${p.run.concurrency}: ${p.scale}×`),
      `ratios ${span(pairs.map((p) => p.scale))}`);
  }

  const readyMisses = runs.filter((r) => r.service.ready_ms > 2000);
  check('ready', 'service ready ≤ 2 s after process start (JVM mode)',
    readyMisses.map((r) => `${at(r)}: ${r.service.ready_ms} ms`),
    `service ${span(runs.map((r) => r.service.ready_ms))} ms, sample ${span(runs.map((r) => r.sample.ready_ms))} ms`);

  const heaviest = runs.find((r) => r.heaviest) || runs[runs.length - 1];
  check('peak_rss', 'service peak RSS ≤ 256 MiB under the heaviest run',
    heaviest.service.peak_rss_mib > 256 ? [`${at(heaviest)}: ${heaviest.service.peak_rss_mib} MiB`] : [],
    `${heaviest.service.peak_rss_mib} MiB at ${at(heaviest)} (all runs ${span(runs.map((r) => r.service.peak_rss_mib))} MiB)`);

  const blocked = runs.filter((r) => r.service.blocked_thread_warnings > 0);
  check('blocked_event_loop', 'no blocked-thread warning from the service',
    blocked.map((r) => `${at(r)}: ${r.service.blocked_thread_warnings}`),
    `${runs.reduce((sum, r) => sum + (r.service.blocked_thread_warnings || 0), 0)} warnings in all runs, start-up and warm-up `
      + `included; ${runs.reduce((sum, r) => sum + (r.service.blocked_thread_warnings_measured || 0), 0)} during measured phases`);

  const errorRuns = runs.filter((r) => r.service.errors + r.service.non_2xx + r.sample.errors + r.sample.non_2xx > 0);
  check('errors', 'no errors and no non-2xx answers (not a target of the issue: a sanity check of the run)',
    errorRuns.map((r) => `${at(r)}: service ${r.service.errors} errors ${r.service.non_2xx} non-2xx, `
      + `sample ${r.sample.errors} errors ${r.sample.non_2xx} non-2xx`),
    `${errorRuns.length} of ${runs.length} runs with errors`);
  return list;
}

function span(values) {
  const known = values.filter((v) => v !== null && v !== undefined);
  if (known.length === 0) {
    return 'n/a';
  }
  const min = Math.min(...known);
  const max = Math.max(...known);
  return min === max ? `${min}` : `${min}–${max}`;
}

function targetsText(list) {
  return list.map((t) => `${t.met ? 'MET   ' : 'MISSED'} ${t.name}: ${t.rule} — ${t.detail}`
    + (t.met ? '' : `\n         missed at: ${t.missed_at.join('; ')}`)).join('\n');
}

const BEGIN = '<!-- bench:results:begin (written by bench/run; edit the text outside these markers) -->';
const END = '<!-- bench:results:end -->';

// Shares a hair below zero are the jitter of two /proc readings, not negative work.
const pct = (share) => (share === null || share === undefined ? null : `${Math.max(0, Math.round(100 * share))} %`);

function table(results) {
  const rows = results.runs.map((r) => {
    const s = r.service;
    const g = r.sample;
    const pair = (a, b) => `${a ?? 'n/a'} / ${b ?? 'n/a'}`;
    return `| ${r.orders.toLocaleString('en-US')} | ${r.pg_latency_ms} | ${r.concurrency} `
      + `| ${pair(s.throughput_rps, g.throughput_rps)} | **${r.ratios.throughput}×** `
      + `| ${pair(s.latency_ms.p50, g.latency_ms.p50)} | ${pair(s.latency_ms.p99, g.latency_ms.p99)} `
      + `| ${pair(s.latency_ms.p99_9, g.latency_ms.p99_9)} | ${pair(s.overhead_ms.p50, g.overhead_ms.p50)} `
      + `| ${pair(s.cpu_ms_per_refund, g.cpu_ms_per_refund)} (${r.ratios.cpu_per_refund}×) `
      + `| ${pair(s.store_cpu_ms_per_refund, g.store_cpu_ms_per_refund)} `
      + `| ${pair(s.pg_calls_per_refund, g.pg_calls_per_refund)} `
      + `| ${pair(s.errors + s.non_2xx, g.errors + g.non_2xx)} `
      + `| ${pair(s.peak_rss_mib, g.peak_rss_mib)} | ${pair(s.ready_ms, g.ready_ms)} `
      + `| ${pair(s.load_average_1m ? s.load_average_1m.max : null, g.load_average_1m ? g.load_average_1m.max : null)} `
      + `| ${pair(pct(s.other_processes_cpu_share), pct(g.other_processes_cpu_share))} |`;
  });
  return [
    '| orders | PG ms | conc. | refunds/s svc / sample | ratio | p50 ms | p99 ms | p99.9 ms | overhead p50 ms | CPU ms/refund (ratio) | store CPU ms/refund | PG calls/refund | errors + non-2xx | peak RSS MiB | ready ms | load avg max | others\' CPU |',
    '|---:|---:|---:|---|---:|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function otherSpan(results) {
  const shares = results.runs.flatMap((r) => [r.service.other_processes_cpu_share, r.sample.other_processes_cpu_share])
    .filter((v) => v !== null && v !== undefined);
  if (shares.length === 0) {
    return 'n/a';
  }
  return `${pct(Math.max(0, Math.min(...shares)))}–${pct(Math.max(...shares))}`;
}

function section(results, resultFile) {
  const m = results.machine;
  const load = m.load_average_1m;
  const settings = results.settings;
  const phase = (p) => (p.durationS ? `${p.durationS} s` : `${p.amount} requests`);
  return [
    BEGIN,
    '',
    `Run of ${results.started_at.slice(0, 16).replace('T', ' ')} UTC, commit \`${results.commit}\`, file [\`${resultFile}\`](${resultFile}).`,
    `Machine: ${m.nproc} CPUs (${m.cpu_model}), ${Math.round(m.memory_mib / 1024)} GiB, Linux ${m.kernel}, ${m.java}, Node ${m.node}; `
      + `1-minute load average during the run ${load.min}–${load.max} (mean ${load.mean}; the benchmark's own processes alone reach 3–5 when CPU-bound); `
      + `other processes used ${otherSpan(results)} of the machine's CPU during the measured phases (last column).`,
    `Each run: warm-up ${phase(settings.warmup)} (discarded), then ${phase(settings.measure)} measured; refunds of ${settings.refund_won} won, ${settings.idempotency_key} as Idempotency-Key; ${settings.load_generator}.`,
    'Every cell is service / sample; ratios are service ÷ sample.',
    '',
    table(results),
    '',
    '| target | met | figures | missed at |',
    '|---|---|---|---|',
    ...results.targets.map((t) => `| ${t.rule} | ${t.met ? 'yes' : '**no**'} | ${t.detail} | ${t.missed_at.join('; ') || '—'} |`),
    '',
    END,
  ].join('\n');
}

function updateReadme(readmeFile, results, resultFile) {
  const text = fs.readFileSync(readmeFile, 'utf8');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) {
    throw new Error(`${readmeFile} lacks the results markers`);
  }
  fs.writeFileSync(readmeFile, text.slice(0, begin) + section(results, resultFile) + text.slice(end + END.length));
}

module.exports = { figures, ratios, targets, targetsText, updateReadme, section };
