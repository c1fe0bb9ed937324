import { useEffect, useRef } from 'react';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ClearingDayView, ClearingRegionView } from '../../../shared/clearing';

// Canvas only, no tooltip: its HTML strings carry style attributes the strict CSP blocks.
echarts.use([BarChart, GridComponent, LegendComponent, CanvasRenderer]);

function daysOf(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** The month's cross-region settlements in the ledger (ECharts, canvas): per day the fund's part and the rest, in yuan. */
export function ClearingMonthChart({
  month,
  days,
  regions,
}: {
  month: string;
  days: readonly ClearingDayView[];
  regions: readonly ClearingRegionView[];
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current, null, { renderer: 'canvas' });
    const byDay = new Map(days.map((d) => [d.day, d]));
    const all = daysOf(month);
    const value = (day: string, part: 'fund' | 'rest') => {
      const d = byDay.get(day);
      if (!d) return null;
      return (part === 'fund' ? d.fundFen : d.medfeeFen - d.fundFen) / 100;
    };
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 12, top: 28, bottom: 22 },
      legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
      xAxis: { type: 'category', data: all.map((d) => d.slice(8)), axisLabel: { fontSize: 10 } },
      yAxis: {
        type: 'value',
        name: `异地医疗费（元）· ${regions.length} 个参保地`,
        nameTextStyle: { fontSize: 10, align: 'left' },
        axisLabel: { fontSize: 10 },
      },
      series: [
        { name: '统筹基金', type: 'bar', stack: 'day', itemStyle: { color: '#1677ff' }, data: all.map((d) => value(d, 'fund')) },
        { name: '其余', type: 'bar', stack: 'day', itemStyle: { color: '#95de64' }, data: all.map((d) => value(d, 'rest')) },
      ],
    });
    return () => chart.dispose();
  }, [month, days, regions]);
  return <div ref={box} className="recon__chart" data-testid="clearing-chart" aria-label={`${month} 异地结算`} />;
}
