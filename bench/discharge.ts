/**
 * A 30-day stay with 3,000 fee lines, discharged (issue 15): the batched upload's throughput, the discharge
 * pre-settlement and the settlement.
 *
 * npm run bench -- discharge        (DISCHARGE_STAYS=N stays, default 8; DISCHARGE_LINES=N per stay, default 3,000)
 *
 * Real parts as in the inpatient integration test: the NHSA centre simulator (SM2/SM4 envelope), HIS and the payment
 * platform on 127.0.0.1, the station's SQLite file and outbox (`src/station/inpatient/testing/inpatient-rig.ts`).
 * Each stay: HIS admits an insured patient, the station registers it at the centre (2401), 30 days of 100 executed
 * lines each are charged (untimed); then, timed: the upload of every line in 2301 batches of 100; the doctor's
 * discharge order and 2402 (untimed); the discharge pre-settlement (2303 over the 3,000 lines the centre holds);
 * the settlement (2304 and HIS's booking with the deposits applied). No latency is simulated, so network time is
 * that of the loopback. Goals (issue 15): pre-settle to the figures p95 ≤ 1 s, settle to the result p95 ≤ 150 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PATIENTS, startHis } from '../src/simulators/his';
import { startCentreWithFreshKeys } from '../src/simulators/nhsa';
import { startPayChannel } from '../src/simulators/pay-channel';
import { createInpatientRig, INSTITUTION, NURSE } from '../src/station/inpatient/testing/inpatient-rig';

const STAYS = Number(process.env.DISCHARGE_STAYS ?? 8);
const LINES = Number(process.env.DISCHARGE_LINES ?? 3_000);
const DAYS = 30;
const HIS_APP = { appId: 'YBSTATION01', appSecret: 'his-secret-0123456789abcdef' };
/** The ward's daily round: saline, amoxicillin, a cough syrup, an ibuprofen — cycled to the day's line count. */
const ITEMS = ['Y0006', 'Y0001', 'Y0003', 'Y0002'];

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (x: number) => Math.round(x * 10) / 10;
const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n)).toISOString().slice(0, 10);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-discharge-'));
const fx = await startCentreWithFreshKeys({ region: INSTITUTION.admdvs });
const his = await startHis({ apps: [{ appId: HIS_APP.appId, secret: HIS_APP.appSecret }], seedOrders: false });
const pay = await startPayChannel({ merchants: [{ mchId: '1900000109', key: 'SIMKEY0123456789ABCDEFGHIJKLMNOP' }], seed: 7 });
const rig = createInpatientRig(
  dir,
  {
    url: fx.centre.url,
    voucherUrl: fx.centre.voucherUrl,
    region: fx.region,
    clientId: fx.clientId,
    stationPrivateKeyHex: fx.station.privateKeyHex,
    centrePublicKeyHex: fx.centrePublicKeyHex,
  },
  { url: his.url, ...HIS_APP },
  { url: pay.url, mchId: '1900000109', key: 'SIMKEY0123456789ABCDEFGHIJKLMNOP' },
  { batchSize: 100 },
);
const rows: { patient: string; uploadS: number; linesPerS: number; preSettleMs: number; settleMs: number; medfeeYuan: string }[] = [];
try {
  for (const patient of PATIENTS.filter((p) => p.psn_no)) {
    if (rows.length >= STAYS) break;
    const iptNo = his.control.ward.admit({ patientId: patient.patient_id, wardCode: 'W0301' });
    let stayId: string;
    try {
      stayId = (await rig.service.admit(NURSE, iptNo, await rig.person(patient.id_no))).id;
    } catch {
      his.control.ward.cancelAdmission(iptNo); // not insured at the centre today (suspended, another region …)
      continue;
    }
    for (let d = 0; d < DAYS; d++) {
      const count = Math.floor(((d + 1) * LINES) / DAYS) - Math.floor((d * LINES) / DAYS);
      const lines = Array.from({ length: count }, (_, i) => ({ hospCode: ITEMS[i % ITEMS.length]!, quantity: '1' }));
      his.control.ward.charge({ iptNo, day: day(d), lines });
    }
    his.control.ward.deposit({ iptNo, channel: 'cash', amountFen: 100_000_000 });
    let t = performance.now();
    const uploaded = await rig.uploader.upload(stayId);
    const uploadS = (performance.now() - t) / 1000;
    if (uploaded.kind !== 'up-to-date' || uploaded.uptoLine !== LINES) throw new Error(`upload: ${JSON.stringify(uploaded)}`);
    his.control.ward.orderDischarge(iptNo);
    await rig.service.discharge(NURSE, stayId);
    t = performance.now();
    const preview = await rig.service.preSettleDischarge(NURSE, stayId);
    const preSettleMs = performance.now() - t;
    t = performance.now();
    const done = await rig.service.settleDischarge(NURSE, stayId);
    const settleMs = performance.now() - t;
    if (done.state !== 'completed') throw new Error(`settle: ${done.state}`);
    rows.push({
      patient: patient.patient_id,
      uploadS: Math.round(uploadS * 100) / 100,
      linesPerS: Math.round(LINES / uploadS),
      preSettleMs: ms(preSettleMs),
      settleMs: ms(settleMs),
      medfeeYuan: (preview.medfeeFen / 100).toFixed(2),
    });
  }
} finally {
  await rig.close();
  await pay.close();
  await his.close();
  await fx.centre.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
if (rows.length === 0) throw new Error('no stay could be admitted');

console.log(`discharge: ${rows.length} stays of ${LINES.toLocaleString('en')} lines over ${DAYS} days, 2301 batches of 100`);
console.log('patient   upload s  lines/s  pre-settle ms  settle ms  medfee');
for (const r of rows) {
  console.log(
    `${r.patient.padEnd(9)} ${String(r.uploadS).padStart(8)} ${String(r.linesPerS).padStart(8)} ${String(r.preSettleMs).padStart(14)} ${String(r.settleMs).padStart(10)}  ${r.medfeeYuan}`,
  );
}
const pre95 = ms(
  percentile(
    rows.map((r) => r.preSettleMs),
    95,
  ),
);
const settle95 = ms(
  percentile(
    rows.map((r) => r.settleMs),
    95,
  ),
);
const linesPerS = Math.round(
  percentile(
    rows.map((r) => r.linesPerS),
    50,
  ),
);
console.log(`pre-settle p95 ${pre95} ms (goal ≤ 1,000), settle p95 ${settle95} ms (goal ≤ 150), upload median ${linesPerS} lines/s`);
console.log(
  JSON.stringify({
    bench: 'discharge',
    stays: rows.length,
    linesPerStay: LINES,
    uploadLinesPerS: linesPerS,
    preSettleP95Ms: pre95,
    settleP95Ms: settle95,
    met: pre95 <= 1_000 && settle95 <= 150,
    rows,
  }),
);
