/*
 * An LD_PRELOAD library that records, for the files and directories under one watched
 * directory, exactly what a power loss would leave of them: the content of a file as of its
 * last successful fsync/fdatasync, and the entries of a directory as of its last successful
 * fsync. Tests kill the process with SIGKILL and rebuild the directory from that record
 * (power-loss-disk.ts); everything the process wrote but never synced is gone, as after an
 * OS crash. See README.md next to this file for the model and its limits.
 *
 * Environment: POWER_LOSS_WATCH (the watched directory) and POWER_LOSS_SHADOW (where the
 * record goes, outside the watched directory). Without them the library only passes calls on.
 *
 * The record (the shadow directory), shared with power-loss-disk.ts:
 *   root                 key of the watched directory ("<inode>.<generation>")
 *   nodes/<key>          a regular file's content as of its last sync
 *   nodes/<key>.dir      a directory's entries as of its last sync: "<f|d> <key> <name>" lines
 *   gens/<inode>         the generation of an inode number (absent: 0), bumped when the file
 *                        or directory that had it is freed, so a later file that gets the same
 *                        inode number never overwrites the record of the one a durable
 *                        directory entry still names
 *   events               one line per recorded operation: "<sync|dirsync|retire> <key> <path>"
 *   pids/<pid>           processes that loaded this library (the helper refuses to rebuild
 *                        the directory while one of them still runs)
 *   lock, tmp/           serialization and atomic publishing
 * Every record is written to tmp/ and renamed into place, so a SIGKILL at any moment leaves a
 * consistent record.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);
static int (*real_rmdir)(const char *);
static int (*real_remove)(const char *);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_renameat2)(int, const char *, int, const char *, unsigned int);

static pthread_once_t once = PTHREAD_ONCE_INIT;
/* Threads of this process (libuv's pool, SQLite in a worker thread) take the mutex; other
 * processes sharing the record take the flock. */
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static int lock_fd = -1;
static int active = 0;
static char watch[PATH_MAX];
static size_t watch_len;
static dev_t watch_dev;
static char shadow[PATH_MAX];
static unsigned long tmp_counter = 0;

/* The record is the whole point: a test must not go on with a wrong one. */
static void die(const char *fmt, ...) {
  char message[PATH_MAX + 256];
  int saved = errno;
  va_list args;
  va_start(args, fmt);
  int n = vsnprintf(message, sizeof message, fmt, args);
  va_end(args);
  if (n < 0) n = 0;
  dprintf(2, "power-loss shim (pid %d): %s (%s)\n", (int)getpid(), message, strerror(saved));
  abort();
}

static void *resolve(const char *name, int required) {
  void *fn = dlsym(RTLD_NEXT, name);
  if (!fn && required) {
    dprintf(2, "power-loss shim: cannot resolve %s\n", name);
    abort();
  }
  return fn;
}

static void shadow_path(char *out, const char *fmt, ...) {
  char rel[PATH_MAX];
  va_list args;
  va_start(args, fmt);
  vsnprintf(rel, sizeof rel, fmt, args);
  va_end(args);
  if (snprintf(out, PATH_MAX, "%s/%s", shadow, rel) >= PATH_MAX) die("shadow path too long: %s", rel);
}

static void init(void) {
  real_fsync = resolve("fsync", 1);
  real_fdatasync = resolve("fdatasync", 1);
  real_unlink = resolve("unlink", 1);
  real_unlinkat = resolve("unlinkat", 1);
  real_rmdir = resolve("rmdir", 1);
  real_remove = resolve("remove", 1);
  real_rename = resolve("rename", 1);
  real_renameat = resolve("renameat", 1);
  real_renameat2 = resolve("renameat2", 0);

  const char *w = getenv("POWER_LOSS_WATCH");
  const char *s = getenv("POWER_LOSS_SHADOW");
  if (!w && !s) return;
  if (!w || !s) die("POWER_LOSS_WATCH and POWER_LOSS_SHADOW must be set together");
  if (!realpath(w, watch)) die("cannot resolve the watched directory %s", w);
  if (!realpath(s, shadow)) die("cannot resolve the shadow directory %s", s);
  watch_len = strlen(watch);
  if (strncmp(shadow, watch, watch_len) == 0 && (shadow[watch_len] == '/' || shadow[watch_len] == '\0')) {
    errno = EINVAL;
    die("the shadow directory %s must not be inside the watched directory %s", shadow, watch);
  }
  struct stat st;
  if (stat(watch, &st) != 0 || !S_ISDIR(st.st_mode)) die("the watched directory %s is not a directory", watch);
  watch_dev = st.st_dev;

  char path[PATH_MAX];
  shadow_path(path, "lock");
  lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) die("cannot open %s", path);
  shadow_path(path, "pids/%d", (int)getpid());
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) die("cannot register in %s", path);
  close(fd);
  active = 1;
}

__attribute__((constructor)) static void on_load(void) { pthread_once(&once, init); }

static void lock_record(void) {
  pthread_mutex_lock(&mutex);
  while (flock(lock_fd, LOCK_EX) != 0) {
    if (errno != EINTR) die("flock");
  }
}

static void unlock_record(void) {
  flock(lock_fd, LOCK_UN);
  pthread_mutex_unlock(&mutex);
}

static uintmax_t generation(ino_t ino) {
  char path[PATH_MAX], text[32];
  shadow_path(path, "gens/%ju", (uintmax_t)ino);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return 0;
    die("cannot read %s", path);
  }
  ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  if (n <= 0) die("cannot read %s", path);
  text[n] = '\0';
  return strtoumax(text, NULL, 10);
}

static void key_of(ino_t ino, char *key, size_t size) {
  snprintf(key, size, "%ju.%ju", (uintmax_t)ino, generation(ino));
}

static void temp_path(char *out) { shadow_path(out, "tmp/%d-%lu", (int)getpid(), ++tmp_counter); }

static void publish(const char *tmp, const char *final) {
  if (real_rename(tmp, final) != 0) die("cannot move %s to %s", tmp, final);
}

static void write_all(int fd, const char *data, size_t size, const char *what) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("cannot write %s", what);
    }
    data += n;
    size -= (size_t)n;
  }
}

static void record_event(const char *op, const char *key, const char *path) {
  char file[PATH_MAX], line[PATH_MAX + 128];
  shadow_path(file, "events");
  int fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) die("cannot open %s", file);
  int n = snprintf(line, sizeof line, "%s %s %s\n", op, key, path);
  write_all(fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, file);
  close(fd);
}

/* Whether `fd` is a file or directory under the watched directory; fills its stat and path. */
static int tracked(int fd, struct stat *st, char *path) {
  if (!active || fstat(fd, st) != 0 || st->st_dev != watch_dev) return 0;
  if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode)) return 0;
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, PATH_MAX - 1);
  if (n < 0) return 0;
  path[n] = '\0';
  const char *deleted = " (deleted)";
  size_t dl = strlen(deleted);
  if ((size_t)n > dl && strcmp(path + n - dl, deleted) == 0) path[n - dl] = '\0';
  return strncmp(path, watch, watch_len) == 0 && (path[watch_len] == '/' || path[watch_len] == '\0');
}

/* Copies the file's current content (what the sync about to run makes durable) to `tmp`. */
static void copy_content(int fd, const char *tmp) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  // A fresh read-only descriptor: `fd` may be write-only, and its offset must not move.
  int in = open(link, O_RDONLY | O_CLOEXEC);
  if (in < 0) die("cannot reopen %s", link);
  int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) die("cannot create %s", tmp);
  char buffer[65536];
  for (;;) {
    ssize_t n = read(in, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("cannot read %s", link);
    }
    if (n == 0) break;
    write_all(out, buffer, (size_t)n, tmp);
  }
  close(in);
  close(out);
}

/* Writes the directory's current entries (files and directories; nothing else is modelled). */
static void copy_listing(int fd, const char *tmp) {
  int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) die("cannot reopen a directory to list it");
  DIR *dir = fdopendir(dfd);
  if (!dir) die("fdopendir");
  int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) die("cannot create %s", tmp);
  struct dirent *entry;
  while ((errno = 0, entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    if (strchr(entry->d_name, '\n')) {
      errno = EINVAL;
      die("a file name with a line break cannot be recorded: %s", entry->d_name);
    }
    struct stat st;
    // Gone since readdir saw it: it is not in the directory as synced either.
    if (fstatat(dfd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    char type = S_ISREG(st.st_mode) ? 'f' : S_ISDIR(st.st_mode) ? 'd' : 0;
    if (!type || st.st_dev != watch_dev) continue;
    char key[64], line[PATH_MAX + 96];
    key_of(st.st_ino, key, sizeof key);
    int n = snprintf(line, sizeof line, "%c %s %s\n", type, key, entry->d_name);
    write_all(out, line, (size_t)n, tmp);
  }
  if (errno != 0) die("readdir");
  closedir(dir);
  close(out);
}

/*
 * A sync: the record is taken before the real call (what was written before the call is what
 * it makes durable; writes racing it are not) and published only if the call succeeded.
 */
static int synced(int fd, int (*real)(int), int datasync) {
  struct stat st;
  char path[PATH_MAX];
  if (!tracked(fd, &st, path)) return real(fd);
  lock_record();
  char key[64], tmp[PATH_MAX], final[PATH_MAX];
  key_of(st.st_ino, key, sizeof key);
  temp_path(tmp);
  int dir = S_ISDIR(st.st_mode);
  if (dir) {
    copy_listing(fd, tmp);
    shadow_path(final, "nodes/%s.dir", key);
  } else {
    copy_content(fd, tmp);
    shadow_path(final, "nodes/%s", key);
  }
  int rc = real(fd);
  int saved = errno;
  if (rc == 0) {
    publish(tmp, final);
    record_event(dir ? "dirsync" : datasync ? "datasync" : "sync", key, path);
  } else {
    real_unlink(tmp);
  }
  unlock_record();
  errno = saved;
  return rc;
}

int fsync(int fd) {
  pthread_once(&once, init);
  return synced(fd, real_fsync, 0);
}

int fdatasync(int fd) {
  pthread_once(&once, init);
  return synced(fd, real_fdatasync, 1);
}

/*
 * Removals: a file (its last link) or directory that is freed gets a new generation, so its
 * inode number, when reused, starts a new record. Holds the lock across the call so that no
 * sync records under the wrong generation meanwhile. Returns whether the lock was taken.
 */
static int before_removal(int dirfd, const char *path, struct stat *victim, const struct stat *keep) {
  pthread_once(&once, init);
  if (!active || fstatat(dirfd, path, victim, AT_SYMLINK_NOFOLLOW) != 0 || victim->st_dev != watch_dev) return 0;
  if (!S_ISDIR(victim->st_mode) && !(S_ISREG(victim->st_mode) && victim->st_nlink == 1)) return 0;
  // rename onto another name of the same file frees nothing
  if (keep && keep->st_dev == victim->st_dev && keep->st_ino == victim->st_ino) return 0;
  lock_record();
  return 1;
}

static int after_removal(int locked, int rc, const struct stat *victim, const char *path) {
  if (!locked) return rc;
  int saved = errno;
  if (rc == 0) {
    char key[64], tmp[PATH_MAX], final[PATH_MAX], text[32];
    key_of(victim->st_ino, key, sizeof key);
    int n = snprintf(text, sizeof text, "%ju", generation(victim->st_ino) + 1);
    temp_path(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) die("cannot create %s", tmp);
    write_all(fd, text, (size_t)n, tmp);
    close(fd);
    shadow_path(final, "gens/%ju", (uintmax_t)victim->st_ino);
    publish(tmp, final);
    record_event("retire", key, path);
  }
  unlock_record();
  errno = saved;
  return rc;
}

int unlink(const char *path) {
  struct stat victim;
  int locked = before_removal(AT_FDCWD, path, &victim, NULL);
  return after_removal(locked, real_unlink(path), &victim, path);
}

int unlinkat(int dirfd, const char *path, int flags) {
  struct stat victim;
  int locked = before_removal(dirfd, path, &victim, NULL);
  return after_removal(locked, real_unlinkat(dirfd, path, flags), &victim, path);
}

int rmdir(const char *path) {
  struct stat victim;
  int locked = before_removal(AT_FDCWD, path, &victim, NULL);
  return after_removal(locked, real_rmdir(path), &victim, path);
}

/* libc's remove calls unlink or rmdir internally, past this library: it needs its own wrapper. */
int remove(const char *path) {
  struct stat victim;
  int locked = before_removal(AT_FDCWD, path, &victim, NULL);
  return after_removal(locked, real_remove(path), &victim, path);
}

static int source_stat(int dirfd, const char *path, struct stat *st) {
  return fstatat(dirfd, path, st, AT_SYMLINK_NOFOLLOW) == 0;
}

int rename(const char *from, const char *to) {
  pthread_once(&once, init);
  struct stat source, victim;
  int locked = source_stat(AT_FDCWD, from, &source) && before_removal(AT_FDCWD, to, &victim, &source);
  return after_removal(locked, real_rename(from, to), &victim, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to) {
  pthread_once(&once, init);
  struct stat source, victim;
  int locked = source_stat(fromfd, from, &source) && before_removal(tofd, to, &victim, &source);
  return after_removal(locked, real_renameat(fromfd, from, tofd, to), &victim, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned int flags) {
  pthread_once(&once, init);
  if (!real_renameat2) {
    errno = ENOSYS;
    return -1;
  }
  struct stat source, victim;
  // An exchange frees nothing; with NOREPLACE there is nothing to free.
  int frees = !(flags & (RENAME_EXCHANGE | RENAME_NOREPLACE));
  int locked = frees && source_stat(fromfd, from, &source) && before_removal(tofd, to, &victim, &source);
  return after_removal(locked, real_renameat2(fromfd, from, tofd, to, flags), &victim, to);
}
