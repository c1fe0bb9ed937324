import type { InputRef } from 'antd';
import { useRef, useState } from 'react';
import { useHotkey } from '../../common/use-hotkey';
import { useIdentify } from './use-identify';

/**
 * The identify step with its keys, as every patient-facing screen has it (收费窗口, 医生站, 床旁): F2 focuses the
 * ID-number field, F3 reads the card, F6 the face terminal, Esc clears the patient for the next one.
 */
export function useIdentifyDesk() {
  const identify = useIdentify();
  const { identifyByIdCard, identifyByCard, identifyByFace, clear } = identify;
  const [certNo, setCertNo] = useState('');
  const certNoRef = useRef<InputRef>(null);

  useHotkey('F2', () => certNoRef.current?.focus());
  useHotkey('F3', () => void identifyByCard());
  useHotkey('F6', () => void identifyByFace());
  function clearForNext() {
    clear();
    setCertNo('');
    certNoRef.current?.blur();
  }
  // While a payment is awaited the orders panel claims Esc and asks first (OrdersPanel), then calls clearForNext.
  useHotkey('Escape', clearForNext);

  async function submitCertNo() {
    // The number is cleared once it has found the patient, so it does not linger on screen.
    if (await identifyByIdCard(certNo)) setCertNo('');
  }

  return { ...identify, certNo, setCertNo, certNoRef, submitCertNo, clearForNext };
}

export type IdentifyDesk = ReturnType<typeof useIdentifyDesk>;
