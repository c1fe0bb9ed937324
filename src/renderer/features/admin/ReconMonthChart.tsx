import { useEffect, useRef } from 'react';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ReconciliationRunView } from '../../../shared/reconciliation';

// Canvas only, no tooltip: its HTML strings carry style attributes the strict CSP blocks.
echarts.use([BarChart, GridComponent, LegendComponent, CanvasRenderer]);

/** The days of a month (yyyy-MM) in order. */
function daysOf(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/**
 * The month's picture (ECharts, canvas): per day the medical fees the latest run reconciled, green where the day
 * balanced and red where it did not; a day never run has no bar.
 */
export function ReconMonthChart({ month, runs }: { month: string; runs: readonly ReconciliationRunView[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current, null, { renderer: 'canvas' });
    const latest = new Map<string, ReconciliationRunView>();
    for (const run of runs) if (run.day.startsWith(month) && (latest.get(run.day)?.id ?? 0) < run.id) latest.set(run.day, run);
    const days = daysOf(month);
    const yuan = (day: string, balanced: boolean) => {
      const run = latest.get(day);
      if (!run || (run.outcome === 'balanced') !== balanced) return null;
      return run.groups.reduce((n, g) => n + g.medfeeFen, 0) / 100;
    };
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 12, top: 28, bottom: 22 },
      legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
      xAxis: { type: 'category', data: days.map((d) => d.slice(8)), axisLabel: { fontSize: 10 } },
      yAxis: { type: 'value', name: '医疗费（元）', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 } },
      series: [
        { name: '平账', type: 'bar', stack: 'day', itemStyle: { color: '#389e0d' }, data: days.map((d) => yuan(d, true)) },
        { name: '不平/未完成', type: 'bar', stack: 'day', itemStyle: { color: '#cf1322' }, data: days.map((d) => yuan(d, false)) },
      ],
    });
    return () => chart.dispose();
  }, [month, runs]);
  return <div ref={box} className="recon__chart" data-testid="recon-chart" aria-label={`${month} 每日对账`} />;
}
