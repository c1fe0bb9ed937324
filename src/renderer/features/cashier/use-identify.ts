import { useCallback, useReducer, useRef } from 'react';
import { IdentifyInput, type OperationInput } from '../../../shared/api';
import type { PatientView, ScanKind } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { useStation, useStationEvent } from '../../common/station-context';
import { useDevices } from '../devices';

export type IdentifyMethod = OperationInput<'identifyPatient'>['method'];

export type IdentifyStage =
  { kind: 'waiting' } | { kind: 'identifying'; method: IdentifyMethod } | { kind: 'identified'; patient: PatientView };

export type IdentifyProblem =
  | { kind: 'failed'; error: ApiError }
  | { kind: 'not-a-voucher'; scanKind: ScanKind }
  /** The scan box dropped bytes that were not a whole code (line noise): the patient must scan again. */
  | { kind: 'scan-noise' };

interface IdentifyState {
  stage: IdentifyStage;
  problem: IdentifyProblem | null;
}

type IdentifyAction =
  | { type: 'started'; method: IdentifyMethod }
  | { type: 'identified'; patient: PatientView }
  | { type: 'failed'; error: ApiError }
  | { type: 'scanned-other'; scanKind: ScanKind }
  | { type: 'scan-noise' }
  | { type: 'cleared' };

const WAITING: IdentifyState = { stage: { kind: 'waiting' }, problem: null };

function reduce(state: IdentifyState, action: IdentifyAction): IdentifyState {
  switch (action.type) {
    case 'started':
      return { stage: { kind: 'identifying', method: action.method }, problem: null };
    case 'identified':
      return { stage: { kind: 'identified', patient: action.patient }, problem: null };
    case 'failed':
      // Never leave the previous patient on screen after a failed lookup: the next step would go to the wrong person.
      return { stage: { kind: 'waiting' }, problem: { kind: 'failed', error: action.error } };
    case 'scanned-other':
      return { ...state, problem: { kind: 'not-a-voucher', scanKind: action.scanKind } };
    case 'scan-noise':
      return { ...state, problem: { kind: 'scan-noise' } };
    case 'cleared':
      return WAITING;
  }
}

/**
 * Who is at the window. The station's scan box drives it (an e-voucher scan starts a lookup, any other code
 * is pointed out); the ID-card number is the manual fallback. The latest request wins: an answer that
 * arrives after a newer scan or after Esc is dropped.
 */
export function useIdentify() {
  const api = useStation();
  const [state, dispatch] = useReducer(reduce, WAITING);
  const latest = useRef(0);

  const identify = useCallback(
    async (input: OperationInput<'identifyPatient'>): Promise<boolean> => {
      const request = ++latest.current;
      const parsed = IdentifyInput.safeParse(input);
      if (!parsed.success) {
        dispatch({ type: 'failed', error: { code: 'INVALID_ARGUMENT', message: parsed.error.issues[0]?.message ?? '' } });
        return false;
      }
      dispatch({ type: 'started', method: input.method });
      const result = await api.identifyPatient(parsed.data);
      if (request !== latest.current) return false;
      dispatch(result.ok ? { type: 'identified', patient: result.value } : { type: 'failed', error: result.error });
      return result.ok;
    },
    [api],
  );

  const devices = useDevices();
  useStationEvent('deviceWarning', (warning) => {
    // Line noise from the scan box while waiting for a patient: otherwise the cashier sees nothing happen.
    const fromScanBox = devices?.some((d) => d.id === warning.deviceId && d.role === 'qr-scanner');
    if (fromScanBox && state.stage.kind === 'waiting') dispatch({ type: 'scan-noise' });
  });

  useStationEvent('scan', (scan) => {
    // An e-voucher, or a hospital card (就诊卡: HIS knows the patient, insured or not).
    if (scan.kind === 'nhsa-ec' || scan.kind === 'hospital-card') void identify({ method: 'scan', scanId: scan.scanId });
    // With a patient on screen, payment codes belong to their orders (OrdersPanel collects with them).
    else if ((scan.kind === 'wechat-pay' || scan.kind === 'alipay-pay') && state.stage.kind === 'identified') return;
    else dispatch({ type: 'scanned-other', scanKind: scan.kind });
  });

  const identifyByIdCard = useCallback((certNo: string) => identify({ method: 'idcard', certNo }), [identify]);
  const identifyByCard = useCallback(() => identify({ method: 'card' }), [identify]);
  const identifyByIdCardReader = useCallback(() => identify({ method: 'idcard-reader' }), [identify]);
  const identifyByFace = useCallback(() => identify({ method: 'face' }), [identify]);

  const clear = useCallback(() => {
    latest.current++;
    dispatch({ type: 'cleared' });
  }, []);

  return { ...state, identifyByIdCard, identifyByCard, identifyByIdCardReader, identifyByFace, clear };
}
