// The smoke test's verdict on a result file: every figure of every run present, no error, no
// non-2xx answer, exactly one PG call per refund for the service and two for the sample (counts,
// not timings: this check must hold on any machine), and a profile with frames in it.
'use strict';

const fs = require('node:fs');

const file = process.argv[2];
const results = JSON.parse(fs.readFileSync(file, 'utf8'));
const problems = [];
const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

const FIGURES = ['duration_s', 'requests', 'ok', 'non_2xx', 'errors', 'throughput_rps', 'latency_ms.p50', 'latency_ms.p99',
  'latency_ms.p99_9', 'overhead_ms.p50', 'overhead_ms.p99', 'executed_cancels', 'pg_calls_per_refund', 'cpu_ms_per_refund',
  'store_cpu_ms_per_refund', 'peak_rss_mib', 'ready_ms', 'load_average_1m.max', 'other_processes_cpu_share'];
const RATIOS = ['throughput', 'latency_p50', 'latency_p99', 'latency_p99_9', 'cpu_per_refund', 'pg_calls_per_refund',
  'peak_rss', 'ready'];
const get = (object, dotted) => dotted.split('.').reduce((o, key) => (o === null || o === undefined ? o : o[key]), object);

if (!Array.isArray(results.runs) || results.runs.length === 0) {
  problems.push('no runs');
}
for (const run of results.runs || []) {
  const where = `${run.orders} orders, PG ${run.pg_latency_ms} ms, c${run.concurrency}`;
  for (const target of ['service', 'sample']) {
    const figures = run[target];
    for (const name of FIGURES) {
      if (!isNumber(get(figures, name))) {
        problems.push(`${where}: ${target} ${name} is ${JSON.stringify(get(figures, name))}`);
      }
    }
    if (figures.ok <= 0) {
      problems.push(`${where}: ${target} refunded nothing`);
    }
    if (figures.errors !== 0 || figures.non_2xx !== 0) {
      problems.push(`${where}: ${target} had ${figures.errors} errors and ${figures.non_2xx} non-2xx answers `
        + `(${JSON.stringify(figures.status_codes)})`);
    }
  }
  if (run.service.pg_calls_per_refund !== 1) {
    problems.push(`${where}: the service made ${run.service.pg_calls_per_refund} PG calls per refund, not 1`);
  }
  if (run.sample.pg_calls_per_refund !== 2) {
    problems.push(`${where}: the sample made ${run.sample.pg_calls_per_refund} PG calls per refund, not 2`);
  }
  if (!isNumber(run.service.blocked_thread_warnings)) {
    problems.push(`${where}: blocked-thread warnings not counted`);
  }
  for (const name of RATIOS) {
    if (!isNumber(run.ratios[name])) {
      problems.push(`${where}: ratio ${name} is ${JSON.stringify(run.ratios[name])}`);
    }
  }
}
if (!results.profile || !(results.profile.execution_samples > 0) || results.profile.top_self_frames.length === 0) {
  problems.push('no JFR profile with execution samples');
}
for (const name of ['nproc', 'memory_mib']) {
  if (!isNumber(results.machine && results.machine[name])) {
    problems.push(`machine ${name} missing`);
  }
}
if (!Array.isArray(results.targets) || results.targets.length === 0) {
  problems.push('targets not evaluated');
}

if (problems.length > 0) {
  console.error(`bench smoke FAILED (${file}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`bench smoke OK: ${file} has every figure, no error, 1 PG call per refund (service) and 2 (sample)`);
