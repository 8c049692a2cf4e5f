#!/usr/bin/env python3
"""Compiles the declared SQL statements and the migration scripts into C.

Statements: src/store/sql/<family>.sql holds blocks

    -- name: need_insert
    INSERT INTO need (...) VALUES (?1, ?2) RETURNING id;
    -- pg:
    INSERT ... (only when PostgreSQL needs other text)

Each block becomes STMT_NEED_INSERT in stmts.h and a row of the statement
table in stmts.c; ?N parameters are rewritten to $N for PostgreSQL.

Migrations: schema/<backend>/NNNN-*.sql become one string each, in order.

usage: gen-sql.py OUT_H OUT_C --sql FILES... --sqlite FILES... --pg FILES...
"""
import os
import re
import sys


def c_string(text):
    out = []
    for line in text.splitlines(keepends=True):
        esc = line.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
        out.append('"%s"' % esc)
    return '\n\t'.join(out) if out else '""'


def parse_statements(path):
    stmts, current, section = [], None, None
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            m = re.match(r'--\s*name:\s*([a-z0-9_]+)\s*$', line)
            if m:
                current = {'name': m.group(1), 'sql': '', 'pg': None, 'where': '%s:%d' % (path, lineno)}
                stmts.append(current)
                section = 'sql'
                continue
            if re.match(r'--\s*pg:\s*$', line):
                if current is None:
                    sys.exit('%s:%d: "-- pg:" before any "-- name:"' % (path, lineno))
                current['pg'] = ''
                section = 'pg'
                continue
            if line.lstrip().startswith('--') or current is None:
                continue
            current[section] += line
    for s in stmts:
        s['sql'] = s['sql'].strip()
        if s['pg'] is not None:
            s['pg'] = s['pg'].strip()
        if not s['sql']:
            sys.exit('%s: statement %s is empty' % (s['where'], s['name']))
    return stmts


def to_pg(sql):
    return re.sub(r'\?(\d+)', r'$\1', sql)


def main(argv):
    out_h, out_c = argv[1], argv[2]
    groups, key = {'--sql': [], '--sqlite': [], '--pg': []}, None
    for a in argv[3:]:
        if a in groups:
            key = a
        else:
            groups[key].append(a)
    stmts = []
    for path in groups['--sql']:
        stmts.extend(parse_statements(path))
    seen = {}
    for s in stmts:
        if s['name'] in seen:
            sys.exit('%s: statement %s already declared at %s' % (s['where'], s['name'], seen[s['name']]))
        seen[s['name']] = s['where']
    with open(out_h, 'w', encoding='utf-8') as h:
        h.write('/* Compiled from the statement files in src/store/sql by scripts/gen-sql.py; edit those. */\n')
        h.write('#ifndef GZ_STORE_STMTS_H\n#define GZ_STORE_STMTS_H\n\n')
        h.write('typedef enum stmt_id {\n')
        for s in stmts:
            h.write('\tSTMT_%s,\n' % s['name'].upper())
        h.write('\tSTMT__MAX\n} stmt_id;\n\n')
        h.write('typedef struct stmt_def {\n\tconst char *name;\n\tconst char *sqlite;\n\tconst char *pg;\n} stmt_def;\n\n')
        h.write('extern const stmt_def stmt_table[STMT__MAX];\n\n')
        h.write('extern const char *const sqlite_migrations[];\nextern const int sqlite_migration_count;\n')
        h.write('extern const char *const pg_migrations[];\nextern const int pg_migration_count;\n\n#endif\n')
    with open(out_c, 'w', encoding='utf-8') as c:
        c.write('/* Compiled from src/store/sql and src/store/schema by scripts/gen-sql.py. */\n')
        c.write('#include <stddef.h>\n#include "store/stmts.h"\n\nconst stmt_def stmt_table[STMT__MAX] = {\n')
        for s in stmts:
            pg = s['pg'] if s['pg'] is not None else s['sql']
            c.write('\t[STMT_%s] = { "%s",\n\t%s,\n\t%s },\n' % (s['name'].upper(), s['name'], c_string(s['sql']), c_string(to_pg(pg))))
        c.write('};\n\n')
        for backend, key in (('sqlite', '--sqlite'), ('pg', '--pg')):
            files = sorted(groups[key], key=os.path.basename)
            for i, path in enumerate(files, 1):
                if not os.path.basename(path).startswith('%04d-' % i):
                    sys.exit('%s: migrations must be numbered 0001-, 0002-, ... without gaps' % path)
            c.write('const char *const %s_migrations[] = {\n' % backend)
            for path in files:
                with open(path, encoding='utf-8') as f:
                    c.write('\t/* %s */\n\t%s,\n' % (os.path.basename(path), c_string(f.read())))
            c.write('\tNULL\n};\nconst int %s_migration_count = %d;\n\n' % (backend, len(files)))


if __name__ == '__main__':
    main(sys.argv)
