/** 9001 sign-in / 9002 sign-out: one sign_no per operator per day, carried in every business call. */
import { z } from 'zod';
import { requiredText, text } from '../wire';
import { defineTransaction } from './define';

const SignInInput = z.object({
  /** The operator's number as registered with the centre (usually the envelope's opter). */
  opterNo: z.string().min(1).max(20),
  mac: z.string().max(20),
  ip: z.string().min(1).max(20),
});

const SignInOutput = z
  .object({ signinoutb: z.object({ sign_no: requiredText, sign_time: text }) })
  .transform(({ signinoutb }) => ({ signNo: signinoutb.sign_no, signTime: signinoutb.sign_time }));

export const signIn = defineTransaction({
  infno: '9001',
  input: SignInInput,
  toWire: ({ opterNo, mac, ip }) => ({ signIn: { opter_no: opterNo, mac, ip } }),
  output: SignInOutput,
});

const SignOutInput = z.object({
  signNo: z.string().min(1).max(30),
  opterNo: z.string().min(1).max(20),
});

const SignOutOutput = z
  .object({ signoutoutb: z.object({ sign_time: text }) })
  .transform(({ signoutoutb }) => ({ signTime: signoutoutb.sign_time }));

export const signOut = defineTransaction({
  infno: '9002',
  input: SignOutInput,
  toWire: ({ signNo, opterNo }) => ({ signOut: { sign_no: signNo, opter_no: opterNo } }),
  output: SignOutOutput,
});

export type SignInResult = z.output<typeof SignInOutput>;
export type SignOutResult = z.output<typeof SignOutOutput>;
