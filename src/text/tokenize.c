/*
 * The tokenizer: elements to tokens, in document or query mode (see
 * text.h for what each mode emits and why query mode lines up with
 * document positions).
 */
#include "text/scan.h"

#include <string.h>

/* One element of lookahead: a CJK bigram needs to see the next character. */
typedef struct tokenizer {
	scanner sc;
	scan_elem elems[2];
	scan_elem *cur, *next; /* next is NULL at the end of the input */
	text_token_fn *fn;
	void *ctx;
} tokenizer;

static void tokenizer_advance(tokenizer *t)
{
	scan_elem *spare = t->cur;
	t->cur = t->next;
	t->next = scanner_next(&t->sc, spare) ? spare : NULL;
}

static int emit(tokenizer *t, text_token_kind kind, uint32_t pos, bool colocated,
		const char *text, size_t len, size_t start, size_t end)
{
	text_token tok = {
		.text = text, .len = len, .start = start, .end = end,
		.pos = pos, .kind = kind, .colocated = colocated,
	};
	return t->fn(t->ctx, &tok);
}

static int emit_element(tokenizer *t, const scan_elem *e, uint32_t pos)
{
	text_token_kind kind = e->kind == SCAN_CJK ? TEXT_TOKEN_UNIGRAM : TEXT_TOKEN_WORD;
	return emit(t, kind, pos, false, e->text, e->len, e->start, e->end);
}

static int emit_bigram(tokenizer *t, const scan_elem *a, const scan_elem *b, uint32_t pos, bool colocated)
{
	char pair[8]; /* two CJK characters of at most 4 bytes each */
	memcpy(pair, a->text, a->len);
	memcpy(pair + a->len, b->text, b->len);
	return emit(t, TEXT_TOKEN_BIGRAM, pos, colocated, pair, a->len + b->len, a->start, b->end);
}

static bool starts_bigram(const tokenizer *t)
{
	return t->cur->kind == SCAN_CJK && t->next && t->next->kind == SCAN_CJK && t->next->joined;
}

static int tokenize_document(tokenizer *t)
{
	for (uint32_t pos = 0; t->cur; pos++, tokenizer_advance(t)) {
		int rc = emit_element(t, t->cur, pos);
		if (!rc && starts_bigram(t))
			rc = emit_bigram(t, t->cur, t->next, pos, true);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * In a CJK run of two or more characters every character but the last
 * starts a bigram; the last one needs its unigram only as a placeholder
 * when something follows it in the phrase.
 */
static int tokenize_query(tokenizer *t)
{
	bool in_run = false; /* cur is the second or later character of a CJK run */
	for (uint32_t pos = 0; t->cur; pos++, tokenizer_advance(t)) {
		int rc = 0;
		if (starts_bigram(t)) {
			rc = emit_bigram(t, t->cur, t->next, pos, false);
			in_run = true;
		} else {
			if (!in_run || t->next)
				rc = emit_element(t, t->cur, pos);
			in_run = false;
		}
		if (rc)
			return rc;
	}
	return 0;
}

int text_tokenize(const char *s, size_t len, text_mode mode, text_token_fn *fn, void *ctx)
{
	tokenizer t = { .fn = fn, .ctx = ctx };
	scanner_init(&t.sc, s, len);
	t.next = scanner_next(&t.sc, &t.elems[0]) ? &t.elems[0] : NULL;
	t.cur = &t.elems[1];
	tokenizer_advance(&t);
	if (mode == TEXT_MODE_QUERY)
		return tokenize_query(&t);
	return tokenize_document(&t);
}

int text_normalize(text_buf *out, const char *s, size_t len)
{
	scanner sc;
	scan_elem e;
	scanner_init(&sc, s, len);
	for (bool first = true; scanner_next(&sc, &e); first = false) {
		if (!first && !e.joined)
			text_buf_append(out, " ", 1);
		text_buf_append(out, e.text, e.len);
	}
	return out->failed ? -1 : 0;
}
