/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main() for the fuzz targets where libFuzzer is not available (gcc only, or
 * clang without its runtime): so that the targets and their invariants are
 * compiled and run on every build, not only on hosts with clang.
 *
 * Takes the command line of a libFuzzer binary: options start with '-' and
 * are ignored, except -artifact_prefix=; the rest are files or directories
 * of inputs. Each input is fed whole, then every prefix of it (truncation is
 * what the parsers and walks most need to survive), then a fixed number of
 * mutations from a fixed seed, so that a failure is the same on every run.
 * On a crash the input at fault is written to <artifact_prefix>crash.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define MUTATIONS 4096
#define INPUT_MAX (1 << 20)

static const char *artifact_prefix = "";
static char crash_path[4096];
static const uint8_t *volatile current;
static volatile size_t current_size;

static void say(const char *s)
{
	ssize_t n = write(2, s, strlen(s));

	(void)n;	/* nothing left to report a failure with */
}

/* Async-signal-safe: open(), write(), close() and strlen() only. */
static void on_crash(int sig)
{
	const uint8_t *p = current;
	size_t left = current_size;
	ssize_t n;
	int fd;

	fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		while (p && left) {
			n = write(fd, p, left);
			if (n <= 0)
				break;
			p += n;
			left -= (size_t)n;
		}
		close(fd);
		say("standalone: crashed; input saved to ");
		say(crash_path);
		say("\n");
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void run(const uint8_t *data, size_t size)
{
	current = data;
	current_size = size;
	LLVMFuzzerTestOneInput(data, size);
	current_size = 0;
}

/* xorshift64: fixed and portable, unlike rand(). */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static void run_input(const uint8_t *data, size_t size)
{
	uint64_t state = 0x9e3779b97f4a7c15ull ^ size;
	uint8_t *copy;
	size_t i, n;
	int k;

	run(data, size);
	/* Every prefix, in a buffer of exactly its size. */
	for (n = 0; n < size; n++) {
		copy = malloc(n ? n : 1);
		if (!copy)
			abort();
		memcpy(copy, data, n);
		run(copy, n);
		free(copy);
	}
	if (!size)
		return;
	copy = malloc(size);
	if (!copy)
		abort();
	for (i = 0; i < MUTATIONS; i++) {
		memcpy(copy, data, size);
		for (k = 0; k < 1 + (int)(next_random(&state) % 4); k++) {
			uint64_t r = next_random(&state);

			/* A random byte, or a bit flip: both move pointers. */
			if (r & 1)
				copy[(r >> 8) % size] = (uint8_t)(r >> 40);
			else
				copy[(r >> 8) % size] ^= (uint8_t)(1u << ((r >> 40) % 8));
		}
		run(copy, size);
	}
	free(copy);
}

static int run_file(const char *path)
{
	uint8_t *buf;
	ssize_t n;
	size_t size = 0;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "standalone: %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = malloc(INPUT_MAX);
	if (!buf)
		abort();
	while ((n = read(fd, buf + size, INPUT_MAX - size)) > 0)
		size += (size_t)n;
	close(fd);
	if (n < 0) {
		fprintf(stderr, "standalone: %s: %s\n", path, strerror(errno));
		free(buf);
		return -1;
	}
	run_input(buf, size);
	free(buf);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's files, sorted so that runs are reproducible. */
static int run_dir(const char *dir, unsigned int *count)
{
	char **names = NULL, path[4096], **grown;
	struct dirent *d;
	size_t n = 0, i;
	struct stat st;
	DIR *dp;
	int r = 0;

	dp = opendir(dir);
	if (!dp) {
		fprintf(stderr, "standalone: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (!grown)
			abort();
		names = grown;
		names[n] = strdup(d->d_name);
		if (!names[n++])
			abort();
	}
	closedir(dp);
	if (n)	/* qsort()'s array must not be NULL, even when empty */
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(path) < 0)
				r = -1;
			(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return r;
}

int main(int argc, char **argv)
{
	static const int signals[] = { SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE };
	unsigned int count = 0, i;
	struct stat st;
	int a, r = 0;

	for (a = 1; a < argc; a++)
		if (!strncmp(argv[a], "-artifact_prefix=", 17))
			artifact_prefix = argv[a] + 17;
	snprintf(crash_path, sizeof(crash_path), "%scrash", artifact_prefix);
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		signal(signals[i], on_crash);

	for (a = 1; a < argc; a++) {
		if (argv[a][0] == '-')
			continue;
		if (stat(argv[a], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (run_dir(argv[a], &count) < 0)
				r = 1;
		} else {
			if (run_file(argv[a]) < 0)
				r = 1;
			count++;
		}
	}
	if (!count) {
		fprintf(stderr, "standalone: no inputs given\n");
		r = 1;
	}
	printf("standalone: %u inputs, each whole, truncated and mutated %d "
	       "times: %s\n", count, MUTATIONS, r ? "FAILED" : "ok");
	return r;
}
