import type { BenchMetric } from './bench-result';
import type { SoakFigures } from './replica-soak';

/** How much more CPU per lifecycle the shared database may cost: 3 replicas vs 1, and 1 replica vs SQLite. */
export const CPU_TARGETS = { threeVersusOne: 1.3, postgresVersusSqlite: 2 };

/**
 * The correctness figures of a soak with faults, each with its target of zero, except the duplicates, which at
 * least once delivery allows when a kill or freeze explains them (the unexplained ones must be zero), and the
 * double-owner writes, counted by the caller from the database.
 */
export function faultMetrics(f: SoakFigures, doubleOwnerWrites: number | undefined): BenchMetric[] {
  const at = (metric: string): string => `${metric} (${f.replicas} replicas, N = ${f.lifecycles}, faults)`;
  const zero = (metric: string, value: number): BenchMetric => ({
    metric: at(metric),
    value,
    unit: 'count',
    target: '= 0',
    pass: value === 0,
  });
  const unexplained = f.notify.duplicates.filter((d) => d.explanation === undefined).length;
  return [
    { metric: at('faults injected'), value: f.faultsInjected, unit: 'count', target: '≥ 10', pass: f.faultsInjected >= 10 },
    {
      metric: at('lifecycles finished'),
      value: f.lifecyclesFinished,
      unit: 'count',
      target: `= ${f.lifecycles}`,
      pass: f.lifecyclesFinished === f.lifecycles,
    },
    zero('jobs lost', f.jobsLost.length),
    zero('jobs stuck', f.jobsStuck.length),
    ...(doubleOwnerWrites === undefined ? [] : [zero('jobs written by two owners', doubleOwnerWrites)]),
    zero('Notify missing', f.notify.missing.length),
    zero('Notify out of order', f.notify.outOfOrder.length),
    { metric: at('Notify duplicated'), value: f.notify.duplicates.length, unit: 'count' },
    zero('Notify duplicated without a kill or freeze to explain it', unexplained),
  ];
}

/** One run without faults, for the side-by-side comparison: throughput and CPU per finished lifecycle. */
export interface BaselineFigures {
  label: string;
  lifecyclesPerSecond: number;
  cpuMsPerLifecycle: number;
}

/** Throughput and CPU per lifecycle of a soak without faults. */
export function baselineOf(label: string, f: SoakFigures): BaselineFigures {
  const finished = f.lifecyclesFinished;
  return {
    label,
    lifecyclesPerSecond: finished / f.seconds,
    cpuMsPerLifecycle: finished === 0 ? Number.NaN : f.driverCpuMs / finished,
  };
}

/** The two figures of one baseline, without target. */
export function baselineRows(b: BaselineFigures): BenchMetric[] {
  return [
    { metric: `lifecycles/s (${b.label}, no faults)`, value: b.lifecyclesPerSecond, unit: 'lifecycles/s' },
    { metric: `driver CPU per lifecycle (${b.label}, no faults)`, value: b.cpuMsPerLifecycle, unit: 'ms' },
  ];
}

/**
 * The baselines as metrics, and the two CPU ratios with their targets: 3 PostgreSQL replicas together spend at most
 * 1.3 × the CPU of one per lifecycle; one PostgreSQL replica at most 2 × the SQLite driver.
 */
export function baselineMetrics(sqlite: BaselineFigures, pg: [BaselineFigures, BaselineFigures, BaselineFigures]): BenchMetric[] {
  const rows = [sqlite, ...pg].flatMap(baselineRows);
  const threeVersusOne = pg[2].cpuMsPerLifecycle / pg[0].cpuMsPerLifecycle;
  const pgVersusSqlite = pg[0].cpuMsPerLifecycle / sqlite.cpuMsPerLifecycle;
  return [
    ...rows,
    {
      metric: `CPU per lifecycle, ${pg[2].label} / ${pg[0].label}`,
      value: threeVersusOne,
      unit: 'ratio',
      target: `≤ ${CPU_TARGETS.threeVersusOne}`,
      pass: threeVersusOne <= CPU_TARGETS.threeVersusOne,
    },
    {
      metric: `CPU per lifecycle, ${pg[0].label} / ${sqlite.label}`,
      value: pgVersusSqlite,
      unit: 'ratio',
      target: `≤ ${CPU_TARGETS.postgresVersusSqlite}`,
      pass: pgVersusSqlite <= CPU_TARGETS.postgresVersusSqlite,
    },
  ];
}
