/*
 * libsscard: see sscard.h. Reads may be called from any thread (koffi runs async calls on worker threads),
 * so the held card and the fault settings sit behind one mutex, and a "hanging" read waits on a condition
 * variable that SimRelease can signal — a test can always end a hang it started.
 */
#define _POSIX_C_SOURCE 200809L
#include "sscard.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#define CAPACITY 4096
#define SSCARD_BAD_ARGUMENT (-2)

struct held_output {
  char bytes[CAPACITY];
  long length; /* -1: no such card on the reader */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t released;
static pthread_once_t released_once = PTHREAD_ONCE_INIT;
static struct held_output card_bas = {{0}, -1};
static struct held_output id_card = {{0}, -1};
static long forced_result = 0;
static long delay_ms = 0;
static long read_count = 0;
/* bumped by SimRelease; a waiting read ends when it changes */
static unsigned long release_generation = 0;

static void init_released(void) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
#if defined(__linux__)
  /* a wall-clock step must not stretch or cut a simulated hang */
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
#endif
  pthread_cond_init(&released, &attr);
  pthread_condattr_destroy(&attr);
}

static struct timespec deadline_after(long ms) {
  struct timespec at;
#if defined(__linux__)
  clock_gettime(CLOCK_MONOTONIC, &at);
#else
  clock_gettime(CLOCK_REALTIME, &at);
#endif
  at.tv_sec += ms / 1000;
  at.tv_nsec += (ms % 1000) * 1000000L;
  if (at.tv_nsec >= 1000000000L) {
    at.tv_sec += 1;
    at.tv_nsec -= 1000000000L;
  }
  return at;
}

/* Called with the lock held; returns with it held. */
static void wait_configured_delay(void) {
  unsigned long generation = release_generation;
  if (delay_ms < 0) {
    while (generation == release_generation) pthread_cond_wait(&released, &lock);
    return;
  }
  if (delay_ms == 0) return;
  struct timespec deadline = deadline_after(delay_ms);
  while (generation == release_generation) {
    if (pthread_cond_timedwait(&released, &lock, &deadline) == ETIMEDOUT) return;
  }
}

static long read_held(const struct held_output *held, char *out, long out_len) {
  pthread_once(&released_once, init_released);
  pthread_mutex_lock(&lock);
  read_count++;
  wait_configured_delay();
  long result = forced_result;
  if (result == SSCARD_OK) {
    if (out == NULL || out_len <= 0) {
      result = SSCARD_BAD_ARGUMENT;
    } else if (held->length < 0) {
      result = SSCARD_NO_CARD;
    } else {
      /* Like the vendor libraries: fills what fits and terminates only when there is room. */
      long n = held->length < out_len ? held->length : out_len;
      memcpy(out, held->bytes, (size_t)n);
      if (n < out_len) out[n] = '\0';
    }
  }
  pthread_mutex_unlock(&lock);
  return result;
}

long SSCARD_CALL ReadCardBas(char *pOutInfo, long nOutLen) { return read_held(&card_bas, pOutInfo, nOutLen); }

long SSCARD_CALL ReadSFZ(char *pOutInfo, long nOutLen) { return read_held(&id_card, pOutInfo, nOutLen); }

int SSCARD_CALL iReadCardBas(int iType, char *pOutInfo) {
  if (iType < 1 || iType > 4) return (int)SSCARD_BAD_ARGUMENT;
  return (int)read_held(&card_bas, pOutInfo, SSCARD_MOHRSS_BUFFER);
}

/* Called with the lock held and length <= CAPACITY. */
static void hold(struct held_output *held, const char *bytes, long length) {
  if (bytes == NULL || length < 0) {
    held->length = -1;
    return;
  }
  memcpy(held->bytes, bytes, (size_t)length);
  held->length = length;
}

long SimSetCard(const char *cardBas, long cardBasLen, const char *sfz, long sfzLen) {
  pthread_mutex_lock(&lock);
  long result = (cardBasLen > CAPACITY || sfzLen > CAPACITY) ? -1 : 0;
  if (result == 0) {
    hold(&card_bas, cardBas, cardBasLen);
    hold(&id_card, sfz, sfzLen);
  }
  pthread_mutex_unlock(&lock);
  return result;
}

long SimSetResult(long code) {
  pthread_mutex_lock(&lock);
  forced_result = code;
  pthread_mutex_unlock(&lock);
  return 0;
}

long SimSetDelay(long ms) {
  pthread_mutex_lock(&lock);
  delay_ms = ms < -1 ? -1 : ms;
  pthread_mutex_unlock(&lock);
  return 0;
}

void SimRelease(void) {
  pthread_once(&released_once, init_released);
  pthread_mutex_lock(&lock);
  release_generation++;
  pthread_cond_broadcast(&released);
  pthread_mutex_unlock(&lock);
}

long SimReadCount(void) {
  pthread_mutex_lock(&lock);
  long count = read_count;
  pthread_mutex_unlock(&lock);
  return count;
}

void SimReset(void) {
  pthread_mutex_lock(&lock);
  card_bas.length = -1;
  id_card.length = -1;
  forced_result = 0;
  delay_ms = 0;
  read_count = 0;
  pthread_mutex_unlock(&lock);
  SimRelease();
}
