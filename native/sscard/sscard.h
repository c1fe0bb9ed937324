/*
 * libsscard — a stand-in for a vendor social-security card-reader library (社保卡读卡库), exporting the
 * unified card-reading ABI that Chinese readers ship (protocol-research.md §4.1/§4.2), so the station's FFI
 * path (koffi) is exercised for real in tests, benchmarks and training mode.
 *
 * Output strings are `|`-separated fields with a trailing `|`, written as raw bytes — GBK, as the vendor
 * libraries do, or UTF-8 — exactly as they were handed to SimSetCard; the library never transcodes.
 *
 * The Sim* functions are the test control of this fake and belong to no vendor ABI.
 */
#ifndef SSCARD_H
#define SSCARD_H

#if defined(_WIN32)
#define SSCARD_API __declspec(dllexport)
#define SSCARD_CALL __stdcall
#else
#define SSCARD_API __attribute__((visibility("default")))
#define SSCARD_CALL
#endif

/* Return codes of the unified ABI. Vendors add their own negatives; these are the ones the station maps. */
#define SSCARD_OK 0
#define SSCARD_NO_CARD (-1)
#define SSCARD_READER_NOT_FOUND (-11)
#define SSCARD_NEEDS_SECURITY_MODULE (-2201)

/*
 * Reads the social-security card: 11 fields — region | SSN | card number | card id code | name | ATR |
 * spec version | issue date | expiry | terminal no | device no | — into pOutInfo (nOutLen bytes).
 */
SSCARD_API long SSCARD_CALL ReadCardBas(char *pOutInfo, long nOutLen);

/* Reads the resident ID card: name | sex | ethnicity | birth date | address | ID number | issue date |
 * expiry | issuer | (9 fields). */
SSCARD_API long SSCARD_CALL ReadSFZ(char *pOutInfo, long nOutLen);

/*
 * The MOHRSS variant (SSCardDriver.dll): iType 1 contact, 2 contactless, 3/4 auto. The caller's buffer has
 * no length argument in that ABI; this fake writes at most SSCARD_MOHRSS_BUFFER bytes.
 */
#define SSCARD_MOHRSS_BUFFER 1024
SSCARD_API int SSCARD_CALL iReadCardBas(int iType, char *pOutInfo);

/* ---- test control ---- */

/* The card on the reader: raw output bytes for ReadCardBas and ReadSFZ. NULL (or length < 0) = no card of
 * that kind. Returns 0, or -1 when a length exceeds the fake's capacity. */
SSCARD_API long SimSetCard(const char *cardBas, long cardBasLen, const char *sfz, long sfzLen);

/* Every read returns `code` (0 = normal behaviour) without writing output, until changed. */
SSCARD_API long SimSetResult(long code);

/* Every read first waits `ms` milliseconds; -1 waits until SimRelease. Models a reader that hangs. */
SSCARD_API long SimSetDelay(long ms);

/* Ends every pending wait at once (the read then completes normally). */
SSCARD_API void SimRelease(void);

/* Reads started since the last SimReset. */
SSCARD_API long SimReadCount(void);

/* Back to: no card, result 0, no delay, count 0. */
SSCARD_API void SimReset(void);

#endif
