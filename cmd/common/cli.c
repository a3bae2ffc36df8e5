/*
 * cli.c - shared front-end code for the commands.  See cli.h.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "departments.h"
#include "durable.h"

const char *cli_progname = "officeadm";
bool cli_stdin_closed, cli_stdout_closed;

static const int interrupts[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/* SA_RESETHAND has put the default action back: raised again, it ends the run. */
static void
on_interrupt(int sig)
{
	int saved = errno;

	oa_atomic_unlink_pending();
	errno = saved;
	raise(sig);
}

void
cli_init(char **argv)
{
	const char *progname = argv[0], *slash = strrchr(progname, '/');

	cli_progname = slash ? slash + 1 : progname;
	argv[0] = (char *)cli_progname; /* getopt names the command, not its path */
	/*
	 * A closed standard descriptor (cron, `<&-`) would be taken by the next
	 * file opened: a lock file would be read as the scans on standard
	 * input, or a register written through standard output.  Each closed
	 * one is opened on /dev/null instead (open takes the lowest free one).
	 */
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			exit(2);
		if (fd == 0)
			cli_stdin_closed = true;
		else if (fd == 1)
			cli_stdout_closed = true;
	}
	setlocale(LC_ALL, "");
	/*
	 * Past a file size limit (ulimit -f) a write fails with EFBIG instead
	 * of killing the process, so the error is reported and the temporary
	 * files are removed.
	 */
	signal(SIGXFSZ, SIG_IGN);
	/*
	 * Interrupted (Ctrl-C, kill, a closed terminal): the new files not
	 * yet in place are removed, then the signal does what it would have.
	 */
	{
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_interrupt;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESETHAND;
		for (size_t i = 0; i < sizeof interrupts / sizeof interrupts[0]; i++) {
			struct sigaction was;
			/* A signal ignored by the caller (nohup) stays ignored. */
			if (sigaction(interrupts[i], NULL, &was) == 0 && was.sa_handler != SIG_IGN)
				sigaction(interrupts[i], &sa, NULL);
		}
	}
}

static void
vmsg_at(const char *file, long line, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", cli_progname);
	if (file != NULL && file[0] != '\0') {
		if (line > 0)
			fprintf(stderr, "%s:%ld: ", file, line);
		else
			fprintf(stderr, "%s: ", file);
	}
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Set once a failed write to standard output has been reported. */
static bool stdout_error_reported;

/*
 * A message about "<stdout>", or about an unnamed output ("<output>", as
 * the library calls a stream it was not told the name of) once standard
 * output has failed, reports standard output's write error.
 */
static void
note_stdout(const char *file)
{
	if (file != NULL && (strcmp(file, "<stdout>") == 0 || (file[0] == '<' && ferror(stdout))))
		stdout_error_reported = true;
}

static const char *
entry_name(const void *ctx, size_t i)
{
	return ((char *const *)ctx)[i];
}

bool
cli_near_file(const char *path, char *buf, size_t cap)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char *dir = slash ? strndup(path, (size_t)(slash - path) + 1) : strdup(".");
	char **names = NULL;
	size_t n = 0, ncap = 0, best[1];
	struct dirent *e;
	DIR *d = dir ? opendir(dir) : NULL;
	bool found = false;

	while (d != NULL && (e = readdir(d)) != NULL && n < 10000) {
		size_t len = strlen(e->d_name);
		char **grown;

		if (e->d_name[0] == '.' || (len > 5 && strcmp(e->d_name + len - 5, ".lock") == 0))
			continue;
		if (n == ncap) {
			grown = realloc(names, (ncap = ncap ? 2 * ncap : 64) * sizeof *names);
			if (grown == NULL)
				break;
			names = grown;
		}
		if ((names[n] = strdup(e->d_name)) != NULL)
			n++;
	}
	if (d != NULL)
		closedir(d);
	if (*base != '\0' && n > 0 &&
	    oa_names_suggest(base, strlen(base), entry_name, names, n, best, 1) == 1) {
		snprintf(buf, cap, "%s%s", slash ? dir : "", names[best[0]]);
		found = true;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dir);
	return found;
}

void
cli_error(const oa_error *err)
{
	char near[4096];

	note_stdout(err->file);
	fprintf(stderr, "%s: ", cli_progname);
	if (err->file[0] != '\0') {
		if (err->line > 0)
			fprintf(stderr, "%s:%ld: ", err->file, err->line);
		else
			fprintf(stderr, "%s: ", err->file);
	}
	fprintf(stderr, "%s", err->msg[0] ? err->msg : "unknown error");
	/* A file that is not there: the one beside it whose name is close
	 * (台帐.csv for 台账.csv, one character the eye does not see). */
	if (err->file[0] != '\0' && err->line == 0 && strstr(err->msg, strerror(ENOENT)) != NULL &&
	    cli_near_file(err->file, near, sizeof near))
		fprintf(stderr, " (did you mean %s?)", near);
	fputc('\n', stderr);
}

void
cli_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg_at(NULL, 0, fmt, ap);
	va_end(ap);
}

void
cli_msg_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg_at(file, line, fmt, ap);
	va_end(ap);
}

void
cli_sys(const char *file, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	note_stdout(file);
	fprintf(stderr, "%s: ", cli_progname);
	if (file != NULL)
		fprintf(stderr, "%s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(saved));
}

int
cli_usage(const char *usage)
{
	fputs(usage, stderr);
	return EXIT_TROUBLE;
}

int
cli_version(void)
{
	printf("%s (officeadm) %s\n", cli_progname, OA_VERSION);
	return EXIT_DONE;
}

static void
config_warning(void *ctx, const char *file, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s: %s: warning: %s\n", cli_progname, file, msg);
}

oa_config *
cli_load_config(const char *path)
{
	oa_error err;
	oa_config *cfg;

	oa_error_clear(&err);
	cfg = oa_config_load(path, &err);
	if (cfg == NULL) {
		cli_error(&err);
		return NULL;
	}
	oa_config_check(cfg, config_warning, NULL);
	/* The settings file is an input too: no output may replace it. */
	if (cli_input(oa_config_path(cfg), 0) < 0) {
		oa_config_free(cfg);
		return NULL;
	}
	/*
	 * Office times are local to the configured zone, whatever zone the
	 * server runs in: "today" of a cron job on a UTC machine is Beijing's.
	 */
	setenv("TZ", oa_config_get_string(cfg, "calendar", "timezone", "Asia/Shanghai"), 1);
	tzset();
	return cfg;
}

bool
cli_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (a == NULL || b == NULL || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return false;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	return strcmp(a, b) == 0;
}

int
cli_input(const char *path, int flags)
{
	oa_error err;

	oa_error_clear(&err);
	if (oa_input_add(path, flags, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

int
cli_inputs(char *const *paths, int n)
{
	for (int i = 0; i < n; i++)
		if (cli_input(paths[i], 0) < 0)
			return -1;
	return 0;
}

int
cli_in_notices(const char *out, const char *dir)
{
	char *odir, *slash, *ro, *rd;
	bool in;

	if (out == NULL || strcmp(out, "-") == 0 || dir == NULL)
		return 0;
	if ((odir = strdup(out)) == NULL) {
		cli_msg("out of memory");
		return -1;
	}
	slash = strrchr(odir, '/');
	if (slash == NULL)
		strcpy(odir, ".");
	else
		slash[slash == odir] = '\0'; /* "/x" is in "/" */
	ro = realpath(odir, NULL);
	rd = realpath(dir, NULL);
	/* A directory not made yet: compared as spelled. */
	in = ro != NULL && rd != NULL ? strcmp(ro, rd) == 0 : strcmp(odir, dir) == 0;
	free(odir);
	free(ro);
	free(rd);
	if (in)
		cli_msg("-o %s is in the notices directory %s, whose files are replaced and removed "
		        "by the notices: write the report elsewhere; nothing written", out, dir);
	return in ? -1 : 0;
}

int
cli_output_open(cli_output *out, const char *path, mode_t mode)
{
	oa_error err;

	memset(out, 0, sizeof *out);
	if (path == NULL || strcmp(path, "-") == 0) {
		if (cli_stdout_closed) {
			cli_msg("standard output is closed: the output would be lost; give -o FILE");
			return -1;
		}
		out->fp = stdout;
		out->name = "<stdout>";
		return 0;
	}
	oa_error_clear(&err);
	if (oa_atomic_open(&out->af, path, mode, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	out->fp = out->af.fp;
	out->name = path;
	out->atomic = true;
	return 0;
}

/* Standard output: flushed, a write error reported.  0 or -1. */
static int
flush_stdout_output(cli_output *out)
{
	if (fflush(out->fp) == EOF || ferror(out->fp)) {
		cli_sys(out->name, "write error");
		return -1;
	}
	return 0;
}

int
cli_output_prepare(cli_output *out)
{
	oa_error err;

	if (!out->atomic)
		return flush_stdout_output(out);
	oa_error_clear(&err);
	out->fp = NULL; /* closed by the prepare */
	if (oa_atomic_prepare(&out->af, &err) < 0) {
		out->atomic = false;
		cli_error(&err);
		return -1;
	}
	return 0;
}

int
cli_output_commit(cli_output *out)
{
	oa_error err;

	if (!out->atomic)
		return flush_stdout_output(out);
	oa_error_clear(&err);
	out->atomic = false;
	if (oa_atomic_commit(&out->af, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

int
cli_output_join(cli_output *out, oa_atomic_set *set)
{
	oa_error err;

	if (!out->atomic)
		return flush_stdout_output(out);
	out->atomic = false;
	oa_error_clear(&err);
	if (oa_atomic_set_add(set, &out->af, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

void
cli_output_abort(cli_output *out)
{
	if (out->atomic)
		oa_atomic_abort(&out->af);
	out->atomic = false;
}

int
cli_finish(int status)
{
	/* A write error the command has reported already is not told twice. */
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (!stdout_error_reported)
			cli_sys("<stdout>", "write error");
		return EXIT_TROUBLE;
	}
	if (fclose(stdout) == EOF) {
		if (!stdout_error_reported)
			cli_sys("<stdout>", "write error");
		return EXIT_TROUBLE;
	}
	return status;
}
