/*
 * The "gongzhi" FTS5 tokenizer: the text library's tokens (CJK unigrams and
 * bigrams, folded words) for SQLite full-text tables.
 *
 *   CREATE VIRTUAL TABLE need_fts USING fts5(title, body, tokenize = 'gongzhi');
 *
 * Query it only with expressions from text_query_fts5 or
 * text_similar_query_fts5 (src/text/text.h): they quote every part, and the
 * tokenizer turns each quoted part into the phrase that matches it as a
 * substring.
 */
#ifndef GZ_STORE_FTS5_TOKENIZER_H
#define GZ_STORE_FTS5_TOKENIZER_H

#include <sqlite3.h>

/*
 * Register the tokenizer on db.  Tokenizers belong to a connection: call
 * this on every connection before it touches a table that uses one.
 * Returns SQLITE_OK, or an SQLite error code (SQLITE_ERROR when this SQLite
 * has no FTS5).
 */
int fts5_tokenizer_register(sqlite3 *db);

#endif
