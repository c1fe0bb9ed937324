import type { InputRef } from 'antd';
import { useRef, useState } from 'react';
import { useHotkey } from '../../common/use-hotkey';
import { useIdentify } from './use-identify';

/** Which of the optional readers a screen offers: the face terminal (F6) and the resident ID card in the reader (Alt+S). */
export interface IdentifyDeskOptions {
  face?: boolean;
  idCardReader?: boolean;
}

/**
 * The identify step with its keys, as every patient-facing screen has it (收费窗口, 医生站, 床旁): F2 focuses the
 * ID-number field, F3 reads the card, F6 the face terminal, Alt+S the resident ID card, Esc clears the patient for
 * the next one. The bedside has no face terminal and its F6 is 出院, so it leaves face out.
 */
export function useIdentifyDesk({ face = true, idCardReader = false }: IdentifyDeskOptions = {}) {
  const identify = useIdentify();
  const { identifyByIdCard, identifyByCard, identifyByIdCardReader, identifyByFace, clear } = identify;
  const [certNo, setCertNo] = useState('');
  const certNoRef = useRef<InputRef>(null);

  useHotkey('F2', () => certNoRef.current?.focus());
  useHotkey('F3', () => void identifyByCard());
  useHotkey('F6', () => void identifyByFace(), { enabled: face });
  useHotkey('Alt+S', () => void identifyByIdCardReader(), { enabled: idCardReader });
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

  return { ...identify, certNo, setCertNo, certNoRef, submitCertNo, clearForNext, offers: { face, idCardReader } };
}

export type IdentifyDesk = ReturnType<typeof useIdentifyDesk>;
