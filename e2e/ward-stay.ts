/**
 * Shared steps of the ward e2e tests: the nurse's discharge through the core (as her screen does) and the cashier
 * finding a stay in 撤销出院结算 at the window.
 */
import type { Locator, Page } from 'playwright-core';
import { expect as pw } from './expect';
import { connectCore, login, type StationUnderTest } from './fixtures';
import { problemsAtBothSizes, saveScreen } from './layout';
import { ok } from '../test/harness/outpatient-harness';
import type { PatientView } from '../src/shared/domain';
import type { StayView, WardPatientView } from '../src/shared/inpatient';
import { POPULATION } from '../src/simulators/nhsa';
import { TRAINING_WARD_CODE } from '../src/app/training-ward';

/**
 * The nurse identifies `name` (a training-ward patient) by ID card, registers the stay at the centre and discharges
 * it; her connection stays open for the test's next steps (the test closes it).
 */
export async function dischargedStay(t: StationUnderTest, name: string) {
  const nurse = await connectCore(t, 'hs001');
  const person = POPULATION.find((p) => p.name === name)!;
  const row = ok(await nurse.call<WardPatientView[]>('listWardPatients', { wardCode: TRAINING_WARD_CODE })).find(
    (p) => p.patientName === name,
  )!;
  const who = ok(await nurse.call<PatientView>('identifyPatient', { method: 'idcard', certNo: person.idNo }));
  const stay = ok(await nurse.call<StayView>('admitStay', { iptNo: row.iptNo, identificationId: who.identificationId }));
  ok(await nurse.call('dischargeStay', { stayId: stay.id }));
  return { nurse, person, row, stay };
}

/** The cashier signs in at the window; the key of 撤销出院结算 is shown. */
export async function cashierAtWindow(page: Page): Promise<void> {
  await login(page, 'sf001');
  await pw(page.getByTestId('undo-stay-open')).toBeVisible();
}

/** Alt+Z opens 撤销出院结算; the 住院号 typed and Enter finds the stay. */
export async function findStayToUndo(page: Page, iptNo: string): Promise<Locator> {
  await page.keyboard.press('Alt+z');
  const dialog = page.getByTestId('undo-stay');
  await pw(dialog).toBeVisible();
  await page.getByTestId('undo-stay-ipt').fill(iptNo);
  await page.keyboard.press('Enter');
  return dialog;
}

/** The dialog's opening animation over, its picture saved, and what it shows fits at both sizes. */
export async function dialogFits(page: Page, shot: string, essentials: readonly Locator[]): Promise<string[]> {
  await page.waitForFunction(() => document.querySelector('[class*="zoom-appear"], [class*="zoom-enter"]') === null);
  await saveScreen(page, shot);
  return problemsAtBothSizes(page, essentials);
}
