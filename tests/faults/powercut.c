/* Power-cut simulation for SQLite files, loaded with LD_PRELOAD by tests/faults/test_power_cut.py.
 *
 * Every pwrite/ftruncate to a file whose path starts with $POWERCUT_PREFIX (the -shm and -journal
 * files excepted) first saves the bytes it overwrites to <file>.undo; fsync/fdatasync of that file
 * empties <file>.undo, since the data is now on stable storage. After the process is killed, the
 * test replays each .undo file backwards: the files return to what the last fsync made durable,
 * which is what a power cut leaves (the page cache is lost; synced data is not).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off64_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

static void init(void) {
  if (real_pwrite) return;
  real_pwrite = dlsym(RTLD_NEXT, "pwrite");
  real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
  real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
  real_ftruncate64 = dlsym(RTLD_NEXT, "ftruncate64");
  real_fsync = dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
}

/* The tracked file's path for fd, or 0. */
static int tracked(int fd, char *path, size_t size) {
  const char *prefix = getenv("POWERCUT_PREFIX");
  char link[64];
  ssize_t n;
  if (!prefix || !*prefix) return 0;
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink(link, path, size - 1);
  if (n <= 0) return 0;
  path[n] = 0;
  if (strncmp(path, prefix, strlen(prefix)) != 0) return 0;
  if (n >= 4 && (strcmp(path + n - 4, "-shm") == 0 || strcmp(path + n - 5, ".undo") == 0)) return 0;
  if (n >= 8 && strcmp(path + n - 8, "-journal") == 0) return 0;
  return 1;
}

/* Append (offset, old size, saved length, saved bytes) to <path>.undo. */
static void save_undo(int fd, const char *path, off_t offset, size_t length) {
  char undo[4200];
  struct stat st;
  uint64_t header[3];
  char *old = NULL;
  ssize_t got = 0;
  int u;
  if (fstat(fd, &st) != 0) return;
  if (offset < st.st_size) {
    size_t keep = (size_t)(st.st_size - offset) < length ? (size_t)(st.st_size - offset) : length;
    old = malloc(keep ? keep : 1);
    got = pread(fd, old, keep, offset);
    if (got < 0) got = 0;
  }
  header[0] = (uint64_t)offset;
  header[1] = (uint64_t)st.st_size;
  header[2] = (uint64_t)got;
  snprintf(undo, sizeof undo, "%s.undo", path);
  u = open(undo, O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (u >= 0) {
    if (write(u, header, sizeof header) < 0 || (got && write(u, old, (size_t)got) < 0)) { /* best effort */ }
    close(u);
  }
  free(old);
}

static void durable(int fd) {
  char path[4096], undo[4200];
  if (!tracked(fd, path, sizeof path)) return;
  snprintf(undo, sizeof undo, "%s.undo", path);
  truncate(undo, 0);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
  char path[4096];
  init();
  if (tracked(fd, path, sizeof path)) save_undo(fd, path, offset, count);
  return real_pwrite(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
  char path[4096];
  init();
  if (tracked(fd, path, sizeof path)) save_undo(fd, path, offset, count);
  return real_pwrite64(fd, buf, count, offset);
}

static void save_truncate(int fd, off_t length) {
  char path[4096];
  struct stat st;
  if (!tracked(fd, path, sizeof path) || fstat(fd, &st) != 0) return;
  save_undo(fd, path, length, st.st_size > length ? (size_t)(st.st_size - length) : 0);
}

int ftruncate(int fd, off_t length) {
  init();
  save_truncate(fd, length);
  return real_ftruncate(fd, length);
}

int ftruncate64(int fd, off64_t length) {
  init();
  save_truncate(fd, length);
  return real_ftruncate64(fd, length);
}

int fsync(int fd) {
  int rc;
  init();
  rc = real_fsync(fd);
  if (rc == 0) durable(fd);
  return rc;
}

int fdatasync(int fd) {
  int rc;
  init();
  rc = real_fdatasync(fd);
  if (rc == 0) durable(fd);
  return rc;
}
