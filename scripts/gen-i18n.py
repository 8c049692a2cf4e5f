#!/usr/bin/env python3
"""Compiles the interface catalogues (src/i18n/<lang>.txt) into C.

A catalogue is lines of `key = text`; `#` starts a comment line.  Every key
must exist in every catalogue with the same printf conversions, or the build
fails, so a missing translation is caught before any test runs.

usage: gen-i18n.py OUT_C zh:src/i18n/zh-CN.txt en:src/i18n/en.txt
"""
import re
import sys

CONVERSION = re.compile(r'%(?:%|[-0-9.]*(?:ll|l|z)?[sduf])')


def load(path):
    entries = {}
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            if ' = ' not in line:
                sys.exit('%s:%d: expected "key = text"' % (path, lineno))
            key, text = line.split(' = ', 1)
            key = key.strip()
            if not re.fullmatch(r'[a-z0-9_.]+', key):
                sys.exit('%s:%d: bad key %r' % (path, lineno, key))
            if key in entries:
                sys.exit('%s:%d: key %s defined twice' % (path, lineno, key))
            entries[key] = text.replace('\\n', '\n')
    return entries


def c_string(text):
    return '"%s"' % text.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')


def main(argv):
    out = argv[1]
    catalogues = []
    for arg in argv[2:]:
        lang, path = arg.split(':', 1)
        catalogues.append((lang, path, load(path)))
    keys = sorted(set().union(*(c[2].keys() for c in catalogues)))
    problems = []
    for lang, path, entries in catalogues:
        for k in keys:
            if k not in entries:
                problems.append('%s: missing key %s' % (path, k))
    for k in keys:
        shapes = {lang: CONVERSION.findall(entries[k]) for lang, _, entries in catalogues if k in entries}
        if len({tuple(v) for v in shapes.values()}) > 1:
            problems.append('key %s: the catalogues use different conversions %s' % (k, shapes))
    if problems:
        sys.exit('\n'.join(problems))
    with open(out, 'w', encoding='utf-8') as c:
        c.write('/* Compiled from the catalogues in src/i18n by scripts/gen-i18n.py; edit those files. */\n')
        c.write('#include <stddef.h>\n#include "i18n/i18n.h"\n\n')
        c.write('const size_t i18n_key_count = %d;\n' % len(keys))
        c.write('const char *const i18n_keys[] = {\n')
        for k in keys:
            c.write('\t%s,\n' % c_string(k))
        c.write('};\n')
        c.write('const char *const i18n_langs[] = {%s};\n' % ', '.join(c_string(l) for l, _, _ in catalogues))
        c.write('const size_t i18n_lang_count = %d;\n' % len(catalogues))
        c.write('const char *const i18n_texts[] = {\n')
        for lang, _, entries in catalogues:
            c.write('\t/* %s */\n' % lang)
            for k in keys:
                c.write('\t%s,\n' % c_string(entries[k]))
        c.write('};\n')


if __name__ == '__main__':
    main(sys.argv)
