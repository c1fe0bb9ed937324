/**
 * The cards the emulated readers hold: one social-security card (and ID card) per person of the simulated
 * insurance centre, so a card read in training mode leads to a 1101 the centre answers. Formatted exactly as
 * the unified reader ABI writes them: `|`-separated, with a trailing `|`.
 */
import { POPULATION } from '../nhsa';

export interface EmulatedCard {
  region: string;
  ssn: string;
  cardNo: string;
  cardSn: string;
  name: string;
  atr: string;
  specVersion: string;
  issuedOn: string;
  expiresOn: string;
  terminalNo: string;
  terminalDeviceNo: string;
}

export interface EmulatedIdCard {
  name: string;
  sex: string;
  ethnicity: string;
  birthDate: string;
  address: string;
  idNo: string;
  issuedOn: string;
  expiresOn: string;
  issuer: string;
}

export const TRAINING_CARDS: readonly EmulatedCard[] = POPULATION.map((person, index) => ({
  // The issuing region is the first six characters of the card id code (卡识别码).
  region: person.cardSn.slice(0, 6),
  ssn: person.idNo,
  cardNo: person.cardNo,
  cardSn: person.cardSn,
  name: person.name,
  atr: `0081${person.cardSn.slice(0, 6)}8697159900BF7C7A`,
  specVersion: '3.00',
  issuedOn: '20210301',
  expiresOn: '20310301',
  terminalNo: `41010081347${index}`,
  terminalDeviceNo: '',
}));

export const TRAINING_ID_CARDS: readonly EmulatedIdCard[] = POPULATION.map((person) => ({
  name: person.name,
  sex: person.gend === '1' ? '男' : '女',
  ethnicity: '汉',
  birthDate: person.brdy.replaceAll('-', ''),
  address: '福建省厦门市思明区湖滨南路1号',
  idNo: person.idNo,
  issuedOn: '20200101',
  expiresOn: '20400101',
  issuer: '厦门市公安局思明分局',
}));

export function formatCardBas(card: EmulatedCard): string {
  const { region, ssn, cardNo, cardSn, name, atr, specVersion, issuedOn, expiresOn, terminalNo, terminalDeviceNo } = card;
  return `${[region, ssn, cardNo, cardSn, name, atr, specVersion, issuedOn, expiresOn, terminalNo, terminalDeviceNo].join('|')}|`;
}

export function formatIdCard(card: EmulatedIdCard): string {
  const { name, sex, ethnicity, birthDate, address, idNo, issuedOn, expiresOn, issuer } = card;
  return `${[name, sex, ethnicity, birthDate, address, idNo, issuedOn, expiresOn, issuer].join('|')}|`;
}
