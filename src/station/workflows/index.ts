/** Workflows spanning several ports: identifying a patient (card, QR, face or ID number). */
export { identifyPatient, maskCertNo, outBizNo, toPatientView, type IdentifyDeps } from './identify-patient';
