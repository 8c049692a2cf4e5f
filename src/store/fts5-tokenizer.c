/*
 * The "gongzhi" FTS5 tokenizer: a thin adapter from FTS5's tokenizer
 * interface (https://sqlite.org/fts5.html#custom_tokenizers) to
 * text_tokenize.  Documents are tokenized in document mode; the strings of
 * a MATCH expression in query mode, so each becomes an exact-substring
 * phrase.  Auxiliary functions (highlight, snippet) see document tokens, so
 * their byte offsets cover the characters that matched.
 */
#include "store/fts5-tokenizer.h"

#include <limits.h>

#include "text/text.h"

/* The tokenizer has no settings, so every instance is this one object. */
static int the_instance;

static int tokenizer_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ctx;
	(void)argv;
	if (argc != 0)
		return SQLITE_ERROR; /* no options: refuse rather than ignore a typo */
	*out = (Fts5Tokenizer *)&the_instance;
	return SQLITE_OK;
}

static void tokenizer_delete(Fts5Tokenizer *t)
{
	(void)t;
}

typedef int fts5_token_fn(void *ctx, int tflags, const char *tok, int ntok, int start, int end);

typedef struct forward {
	void *fts5_ctx;
	fts5_token_fn *to_fts5;
} forward;

static int forward_token(void *ctx, const text_token *tok)
{
	const forward *f = ctx;
	int tflags = tok->colocated ? FTS5_TOKEN_COLOCATED : 0;
	/* Lengths and offsets fit in int: the input length came as an int. */
	return f->to_fts5(f->fts5_ctx, tflags, tok->text, (int)tok->len, (int)tok->start, (int)tok->end);
}

static int tokenizer_tokenize(Fts5Tokenizer *t, void *fts5_ctx, int flags, const char *text, int len,
			      fts5_token_fn *to_fts5)
{
	(void)t;
	if (len <= 0)
		return SQLITE_OK;
	forward f = { .fts5_ctx = fts5_ctx, .to_fts5 = to_fts5 };
	text_mode mode = (flags & FTS5_TOKENIZE_QUERY) ? TEXT_MODE_QUERY : TEXT_MODE_DOCUMENT;
	return text_tokenize(text, (size_t)len, mode, forward_token, &f);
}

/* The documented way to reach the FTS5 API: SELECT fts5(?1) with a pointer. */
static fts5_api *fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(stmt);
	}
	sqlite3_finalize(stmt);
	return api;
}

int fts5_tokenizer_register(sqlite3 *db)
{
	static fts5_tokenizer methods = {
		.xCreate = tokenizer_create,
		.xDelete = tokenizer_delete,
		.xTokenize = tokenizer_tokenize,
	};
	fts5_api *api = fts5_api_of(db);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	return api->xCreateTokenizer(api, "gongzhi", NULL, &methods, NULL);
}
