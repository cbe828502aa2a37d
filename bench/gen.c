/*
 * gen.c — a seeded, deterministic synthetic corpus for benchmarks.
 *
 *   bench/gen N SEED DIR [MAXLEN]
 *
 * writes DIR/src.conll, DIR/src.jsonl, DIR/tgt.txt, DIR/fwd.align,
 * DIR/rev.align, DIR/gold.conll, DIR/ner.conll, DIR/bt.txt,
 * DIR/src-bt.align, DIR/bt-tgt.align: N pairs with source lengths 5 to
 * MAXLEN (default 60) tokens,
 * 0-6 entities of 1-5 tokens, a target/source length ratio of 0.8-1.3 and
 * alignments that are right about 90% of the time.  The same N and SEED
 * always give the same bytes (xorshift64*, no libc rand).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng;

static uint64_t
next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/* Uniform integer in [lo, hi]. */
static int
range(int lo, int hi)
{
	return lo + (int)(next() % (uint64_t)(hi - lo + 1));
}

static const char *const syll[] = {
	"ka", "ro", "mi", "te", "su", "na", "lo", "ve", "di", "an", "or", "el", "us", "ti", "be", "ga",
};
static const char *const labels[] = { "PER", "LOC", "ORG", "MISC" };

/* A word made of 1-4 syllables; capitalised for names. */
static void
word(char *out, int cap, uint64_t id)
{
	int n = 1 + (int)(id % 4), o = 0;

	for (int i = 0; i < n; i++) {
		const char *s = syll[(id >> (4 + 4 * i)) % 16];
		o += snprintf(out + o, 16, "%s", s);
	}
	if (cap)
		out[0] = (char)(out[0] - 'a' + 'A');
}

int
main(int argc, char **argv)
{
	char path[4096], w[32];
	FILE *src, *jsl, *tgt, *fwd, *rev, *gold, *ner, *bt, *sbt, *btt;
	long n;
	int tag_of[64], lab_of[64], map[64];

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: gen N SEED DIR [MAXLEN]\n");
		return 64;
	}
	int maxlen = argc == 5 ? atoi(argv[4]) : 60;
	if (maxlen < 5 || maxlen > 60) {
		fprintf(stderr, "gen: MAXLEN must be 5 to 60\n");
		return 64;
	}
	n = atol(argv[1]);
	rng = (uint64_t)atoll(argv[2]) * 0x9E3779B97F4A7C15ULL + 1;
#define OPEN(fp, name) do { snprintf(path, sizeof path, "%s/%s", argv[3], name); \
	if (!(fp = fopen(path, "w"))) { perror(path); return 73; } } while (0)
	OPEN(src, "src.conll");
	OPEN(jsl, "src.jsonl");
	OPEN(tgt, "tgt.txt");
	OPEN(fwd, "fwd.align");
	OPEN(rev, "rev.align");
	OPEN(gold, "gold.conll");
	OPEN(ner, "ner.conll");
	OPEN(bt, "bt.txt");
	OPEN(sbt, "src-bt.align");
	OPEN(btt, "bt-tgt.align");
	for (long p = 0; p < n; p++) {
		int ns = range(5, maxlen);
		int nt = ns * range(80, 130) / 100;
		if (nt < 1)
			nt = 1;
		memset(tag_of, 0, sizeof tag_of);
		/* entities: 0-6 of 1-5 tokens, not overlapping */
		int ne = range(0, 6);
		for (int e = 0; e < ne; e++) {
			int len = range(1, 5), at = range(0, ns - 1);
			if (at + len > ns - 1)
				continue;
			int clash = 0;
			for (int k = at > 0 ? at - 1 : 0; k < at + len + 1 && k < ns; k++)
				clash |= tag_of[k];
			if (clash)
				continue;
			int lab = range(0, 3);
			for (int k = at; k < at + len; k++) {
				tag_of[k] = k == at ? 1 : 2;
				lab_of[k] = lab;
			}
		}
		/* target position of each source token: monotone with jitter */
		for (int i = 0; i < ns; i++) {
			int j = i * nt / ns + range(-1, 1);
			map[i] = j < 0 ? 0 : j >= nt ? nt - 1 : j;
		}
		fputs("{\"tokens\": [", jsl);
		for (int i = 0; i < ns; i++) {
			uint64_t id = tag_of[i] ? (uint64_t)(p * 7 + i) * 2654435761u : next() % 5000;
			word(w, tag_of[i] != 0, id);
			if (i == ns - 1)
				strcpy(w, ".");
			const char *pre = tag_of[i] == 1 ? "B-" : tag_of[i] == 2 ? "I-" : "";
			const char *lab = tag_of[i] ? labels[lab_of[i]] : "O";
			fprintf(src, "%s\t%s%s\n", w, pre, lab);
			fprintf(jsl, "%s\"%s\"", i ? ", " : "", w);
		}
		fputs("], \"ner_tags\": [", jsl);
		for (int i = 0; i < ns; i++)
			fprintf(jsl, "%s\"%s%s\"", i ? ", " : "", tag_of[i] == 1 ? "B-" : tag_of[i] == 2 ? "I-" : "",
				tag_of[i] ? labels[lab_of[i]] : "O");
		fputs("]}\n", jsl);
		fputc('\n', src);
		for (int j = 0; j < nt; j++) {
			word(w, 0, next() % 5000);
			if (j == nt - 1)
				strcpy(w, ".");
			fprintf(tgt, "%s%s", j ? " " : "", w);
			fprintf(gold, "%s\tO\n", w);
			fprintf(ner, "%s\tO\t0.%02d\n", w, range(50, 99));
		}
		fputc('\n', tgt);
		fputc('\n', gold);
		fputc('\n', ner);
		/* the back-translation: the source again, aligned to itself and on to the target */
		for (int i = 0; i < ns; i++) {
			fprintf(bt, "%sbt%d", i ? " " : "", i);
			fprintf(sbt, "%s%d-%d", i ? " " : "", i, i);
			fprintf(btt, "%s%d-%d", i ? " " : "", i, map[i]);
		}
		fputc('\n', bt);
		fputc('\n', sbt);
		fputc('\n', btt);
		/* alignments: ~90% right, the rest missing or off by a few */
		for (int dir = 0; dir < 2; dir++) {
			FILE *fp = dir ? rev : fwd;
			int first = 1;
			for (int i = 0; i < ns; i++) {
				int r = range(0, 99);
				if (r < 5)
					continue;                 /* missed link */
				int j = map[i];
				if (r < 10)
					j = range(0, nt - 1);     /* wrong link */
				fprintf(fp, "%s%d-%d", first ? "" : " ", i, j);
				first = 0;
			}
			fputc('\n', fp);
		}
	}
	if (fclose(src) || fclose(jsl) || fclose(tgt) || fclose(fwd) || fclose(rev) || fclose(gold) ||
	    fclose(ner) || fclose(bt) || fclose(sbt) || fclose(btt)) {
		perror("write");
		return 74;
	}
	return 0;
}
